package io.codesous.runtime;

import java.util.Objects;

/**
 * What the function sees of its own invocation as {@code ctx}.
 *
 * @param traceparent W3C trace context header value, or {@code null}
 */
public record InvocationInfo(String activationId, String requestId, String tenant, String namespace,
                             String function, long version, String triggerType, String traceparent) {
  public InvocationInfo {
    Objects.requireNonNull(activationId, "activationId");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(triggerType, "triggerType");
  }
}
