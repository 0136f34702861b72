package io.codesous.spec.message;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * {@code cs.invoke.v1}: one activation to run. Field names and rules: {@code invoke.v1.schema.json}.
 *
 * @param ref         what the caller named (version number, alias, {@code latest})
 * @param version     what that ref resolved to when the request was made; the invoker runs exactly this
 * @param deadlineMs  epoch ms after which nobody waits for the result
 * @param replyTo     route of the waiting caller, or {@code null} when nobody waits
 * @param traceparent W3C trace context, or {@code null}
 */
public record InvocationRequest(String activationId, String requestId, String tenant, String namespace,
                                String function, String ref, long version, Trigger trigger, JsonObject principal,
                                JsonObject event, long deadlineMs, long timeoutMs, String replyTo,
                                String traceparent, String tracestate, long publishedAtMs, int attempt) {

  public static final String SCHEMA = "cs.invoke.v1";

  public InvocationRequest {
    Objects.requireNonNull(activationId, "activationId");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(event, "event");
  }

  /** About how much heap this request takes as objects ({@link HeapWeight}): its fields and their trees. */
  public long heapBytes() {
    return heapBytes(HeapWeight.of(principal));
  }

  /**
   * {@link #heapBytes()} with {@code principalBytes} for the principal's tree, for a publisher that sends one
   * principal in many requests and weighs it once.
   */
  public long heapBytes(long principalBytes) {
    return HeapWeight.OBJECT * 3L + HeapWeight.ofStrings(activationId, requestId, tenant, namespace, function, ref,
        replyTo, traceparent, tracestate) + HeapWeight.of(trigger.type()) + HeapWeight.of(trigger.source())
        + principalBytes + HeapWeight.of(event);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("schema", SCHEMA)
        .put("activation_id", activationId)
        .put("request_id", requestId)
        .put("tenant", tenant)
        .put("namespace", namespace)
        .put("function", function)
        .put("ref", ref)
        .put("version", version)
        .put("trigger", trigger.toJson())
        .put("principal", principal)
        .put("event", event)
        .put("deadline_ms", deadlineMs)
        .put("timeout_ms", timeoutMs)
        .put("reply_to", replyTo)
        .put("published_at_ms", publishedAtMs)
        .put("attempt", attempt);
    if (traceparent != null) {
      JsonObject trace = new JsonObject().put("traceparent", traceparent);
      if (tracestate != null) {
        trace.put("tracestate", tracestate);
      }
      json.put("trace", trace);
    }
    return json;
  }

  /** Reads a document already validated against the schema. */
  public static InvocationRequest fromJson(JsonObject json) {
    JsonObject trace = json.getJsonObject("trace");
    return new InvocationRequest(
        json.getString("activation_id"),
        json.getString("request_id"),
        json.getString("tenant"),
        json.getString("namespace"),
        json.getString("function"),
        json.getString("ref"),
        json.getLong("version"),
        Trigger.fromJson(json.getJsonObject("trigger")),
        json.getJsonObject("principal"),
        json.getJsonObject("event"),
        json.getLong("deadline_ms"),
        json.getLong("timeout_ms"),
        json.getString("reply_to"),
        trace == null ? null : trace.getString("traceparent"),
        trace == null ? null : trace.getString("tracestate"),
        json.getLong("published_at_ms"),
        json.getInteger("attempt"));
  }
}
