package io.codesous.spec.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A request to stop a running activation ({@code cs.cancel.v1} on {@link Topics#CANCEL}), keyed by activation id.
 * Every invoker reads every cancel in a consumer group of its own; only the one that runs the activation acts on
 * it (it names the invoker of the running attempt when the sender knows it, and an invoker also checks that the
 * activation runs in its sandbox), so a cancel never stops another tenant's or another attempt's work.
 *
 * @param invokerId the invoker of the running attempt, or {@code null} when the sender does not know it
 * @param source    who asked: {@code api} or {@code cadence}
 */
public record CancelRequest(String tenant, String namespace, String activationId, String invokerId, String source,
                            long requestedAtMs) {

  public static final String SCHEMA = "cs.cancel.v1";
  public static final String SOURCE_API = "api";
  public static final String SOURCE_CADENCE = "cadence";

  public CancelRequest {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(activationId, "activationId");
    Objects.requireNonNull(source, "source");
  }

  public Buffer encode() {
    JsonObject json = new JsonObject().put("schema", SCHEMA).put("tenant", tenant).put("namespace", namespace)
        .put("activation_id", activationId).put("source", source).put("requested_at_ms", requestedAtMs);
    if (invokerId != null) {
      json.put("invoker_id", invokerId);
    }
    return json.toBuffer();
  }

  /** @throws MalformedMessageException if the payload is not a {@code cs.cancel.v1} message */
  public static CancelRequest decode(Buffer payload) {
    JsonObject json = MessageCodec.envelope(payload, SCHEMA);
    try {
      return new CancelRequest(json.getString("tenant"), json.getString("namespace"),
          json.getString("activation_id"), json.getString("invoker_id"), json.getString("source"),
          json.getLong("requested_at_ms", 0L));
    } catch (RuntimeException e) {
      throw new MalformedMessageException("invalid " + SCHEMA + " message: " + e.getMessage());
    }
  }
}
