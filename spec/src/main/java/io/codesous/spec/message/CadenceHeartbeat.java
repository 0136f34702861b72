package io.codesous.spec.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.Base64;
import java.util.Objects;

/**
 * {@code cs.cadence.heartbeat.v1}: what a Cadence activity's {@code cs.cadence.heartbeat(details)} sends from the
 * invoker to the poller that holds the task, on {@link Topics#CADENCE_HEARTBEAT}, keyed by activation id.
 *
 * @param details the JSON the function passed, as UTF-8 bytes (carried as {@code details_base64})
 */
public record CadenceHeartbeat(String activationId, String tenant, String namespace, byte[] details, long sentAtMs) {

  public static final String SCHEMA = "cs.cadence.heartbeat.v1";

  public CadenceHeartbeat {
    Objects.requireNonNull(activationId, "activationId");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(details, "details");
  }

  public Buffer encode() {
    return new JsonObject().put("schema", SCHEMA).put("activation_id", activationId).put("tenant", tenant)
        .put("namespace", namespace).put("details_base64", Base64.getEncoder().encodeToString(details))
        .put("sent_at_ms", sentAtMs).toBuffer();
  }

  /** @throws MalformedMessageException when the payload is not a heartbeat of this schema */
  public static CadenceHeartbeat decode(Buffer payload) {
    try {
      JsonObject json = payload.toJsonObject();
      if (!SCHEMA.equals(json.getString("schema"))) {
        throw new MalformedMessageException("not a " + SCHEMA + " message");
      }
      return new CadenceHeartbeat(json.getString("activation_id"), json.getString("tenant"),
          json.getString("namespace"), Base64.getDecoder().decode(json.getString("details_base64")),
          json.getLong("sent_at_ms", 0L));
    } catch (RuntimeException malformed) {
      if (malformed instanceof MalformedMessageException m) {
        throw m;
      }
      throw new MalformedMessageException("malformed " + SCHEMA + " message: " + malformed.getMessage());
    }
  }
}
