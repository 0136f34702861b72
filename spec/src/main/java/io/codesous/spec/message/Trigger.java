package io.codesous.spec.message;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * What started an activation.
 *
 * @param type   {@code http}, {@code schedule}, {@code cadence}, {@code cli} or {@code event}
 * @param source type-specific identifiers (e.g. the HTTP method and path), or {@code null}
 */
public record Trigger(String type, JsonObject source) {

  public static final String HTTP = "http";
  public static final String SCHEDULE = "schedule";
  public static final String CADENCE = "cadence";

  public Trigger {
    Objects.requireNonNull(type, "type");
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type);
    if (source != null) {
      json.put("source", source);
    }
    return json;
  }

  public static Trigger fromJson(JsonObject json) {
    return new Trigger(json.getString("type"), json.getJsonObject("source"));
  }
}
