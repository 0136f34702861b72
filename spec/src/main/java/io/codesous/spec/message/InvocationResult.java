package io.codesous.spec.message;

import io.codesous.spec.model.ActivationStatus;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * {@code cs.results.v1}: how an activation ended. Rules: {@code results.v1.schema.json}.
 *
 * @param response on success, {@code {statusCode, headers, body, isBase64Encoded}}; else {@code null}
 * @param error    otherwise {@code {code, message}} (never a stack); else {@code null}
 */
public record InvocationResult(String activationId, String requestId, String replyTo, String tenant,
                               String namespace, String function, long version, ActivationStatus status,
                               JsonObject response, JsonObject error, long startMs, long endMs) {

  public static final String SCHEMA = "cs.results.v1";

  public InvocationResult {
    Objects.requireNonNull(activationId, "activationId");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(status, "status");
    if (!status.terminal()) {
      throw new IllegalArgumentException("a result carries a terminal status, not " + status);
    }
  }

  public long durationMs() {
    return Math.max(0, endMs - startMs);
  }

  /** About how much heap this result takes as objects ({@link HeapWeight}): its fields and their trees. */
  public long heapBytes() {
    return HeapWeight.OBJECT * 2L + HeapWeight.ofStrings(activationId, requestId, replyTo, tenant, namespace,
        function) + HeapWeight.of(response) + HeapWeight.of(error);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("schema", SCHEMA)
        .put("activation_id", activationId)
        .put("request_id", requestId)
        .put("reply_to", replyTo)
        .put("tenant", tenant)
        .put("namespace", namespace)
        .put("function", function)
        .put("version", version)
        .put("status", status.wire())
        .put("response", response)
        .put("error", error)
        .put("start_ms", startMs)
        .put("end_ms", endMs)
        .put("duration_ms", durationMs());
  }

  public static InvocationResult fromJson(JsonObject json) {
    return new InvocationResult(
        json.getString("activation_id"),
        json.getString("request_id"),
        json.getString("reply_to"),
        json.getString("tenant"),
        json.getString("namespace"),
        json.getString("function"),
        json.getLong("version"),
        ActivationStatus.fromWire(json.getString("status")),
        json.getJsonObject("response"),
        json.getJsonObject("error"),
        json.getLong("start_ms"),
        json.getLong("end_ms"));
  }
}
