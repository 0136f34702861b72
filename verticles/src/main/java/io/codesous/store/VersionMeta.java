package io.codesous.store;

import io.codesous.spec.model.Manifest;
import io.vertx.core.json.JsonObject;

/** An immutable published version's metadata (its bundle is stored beside it). */
public record VersionMeta(long version, String sha256, long sizeBytes, Manifest manifest, long createdAtMs,
                          String draftId) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("version", version)
        .put("sha256", sha256)
        .put("size_bytes", sizeBytes)
        .put("manifest", manifest.toJson())
        .put("created_at_ms", createdAtMs)
        .put("draft_id", draftId);
  }

  public static VersionMeta fromJson(JsonObject json) {
    return new VersionMeta(json.getLong("version"), json.getString("sha256"), json.getLong("size_bytes", 0L),
        Manifest.fromStored(json.getJsonObject("manifest")), json.getLong("created_at_ms"),
        json.getString("draft_id"));
  }
}
