package io.codesous.runtime;

import java.util.Objects;

/**
 * What the function sees of its own invocation as {@code ctx}.
 *
 * @param traceparent W3C trace context header value, or {@code null}
 * @param tracestate  the W3C {@code tracestate} header value that came with it, or {@code null}
 */
public record InvocationInfo(String activationId, String requestId, String tenant, String namespace,
                             String function, long version, String triggerType, String traceparent,
                             String tracestate) {

  /** An invocation without a {@code tracestate}. */
  public InvocationInfo(String activationId, String requestId, String tenant, String namespace, String function,
                        long version, String triggerType, String traceparent) {
    this(activationId, requestId, tenant, namespace, function, version, triggerType, traceparent, null);
  }

  public InvocationInfo {
    Objects.requireNonNull(activationId, "activationId");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(triggerType, "triggerType");
  }
}
