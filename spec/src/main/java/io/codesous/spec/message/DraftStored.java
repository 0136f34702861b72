package io.codesous.spec.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A draft was stored ({@code cs.drafts.v1} on {@link Topics#DRAFTS}): every invoker parses its entry module, so the
 * version published from it starts from parsed code. Like {@link VersionPublished} it names the draft only; an
 * invoker reads the manifest and the bundle from the store, so the message carries nothing a tenant could not read.
 */
public record DraftStored(String tenant, String namespace, String function, String draftId, String sha256,
                          long storedAtMs) {

  public static final String SCHEMA = "cs.drafts.v1";

  public DraftStored {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(draftId, "draftId");
    Objects.requireNonNull(sha256, "sha256");
  }

  /** The partitioning key: one function's drafts stay in order. */
  public String key() {
    return tenant + '/' + namespace + '/' + function;
  }

  public Buffer encode() {
    return new JsonObject().put("schema", SCHEMA).put("tenant", tenant).put("namespace", namespace)
        .put("function", function).put("draft_id", draftId).put("sha256", sha256)
        .put("stored_at_ms", storedAtMs).toBuffer();
  }

  /** @throws MalformedMessageException if the payload is not a {@code cs.drafts.v1} message */
  public static DraftStored decode(Buffer payload) {
    JsonObject json = MessageCodec.envelope(payload, SCHEMA);
    try {
      return new DraftStored(json.getString("tenant"), json.getString("namespace"), json.getString("function"),
          json.getString("draft_id"), json.getString("sha256"), json.getLong("stored_at_ms"));
    } catch (RuntimeException e) {
      throw new MalformedMessageException("invalid " + SCHEMA + " message: " + e.getMessage());
    }
  }
}
