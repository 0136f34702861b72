package io.codesous.spec.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A version was published ({@code cs.versions.v1} on {@link Topics#VERSIONS}): every invoker prepares it so its
 * first activation finds a context that already parsed and evaluated the module. It names the version only; an
 * invoker reads the manifest and the bundle from the store, so the message carries nothing a tenant could not read.
 */
public record VersionPublished(String tenant, String namespace, String function, long version, String sha256,
                               long publishedAtMs) {

  public static final String SCHEMA = "cs.versions.v1";

  public VersionPublished {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(sha256, "sha256");
    if (version < 1) {
      throw new IllegalArgumentException("version must be positive");
    }
  }

  /** The partitioning key: one function's publishes stay in order. */
  public String key() {
    return tenant + '/' + namespace + '/' + function;
  }

  public Buffer encode() {
    return new JsonObject().put("schema", SCHEMA).put("tenant", tenant).put("namespace", namespace)
        .put("function", function).put("version", version).put("sha256", sha256)
        .put("published_at_ms", publishedAtMs).toBuffer();
  }

  /** @throws MalformedMessageException if the payload is not a {@code cs.versions.v1} message */
  public static VersionPublished decode(Buffer payload) {
    JsonObject json = MessageCodec.envelope(payload, SCHEMA);
    try {
      return new VersionPublished(json.getString("tenant"), json.getString("namespace"), json.getString("function"),
          json.getLong("version"), json.getString("sha256"), json.getLong("published_at_ms"));
    } catch (RuntimeException e) {
      throw new MalformedMessageException("invalid " + SCHEMA + " message: " + e.getMessage());
    }
  }
}
