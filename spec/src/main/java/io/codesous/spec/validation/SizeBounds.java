package io.codesous.spec.validation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The size keywords of a schema — {@code maxItems}, {@code maxProperties}, {@code maxLength} — checked before
 * anything else, along {@code properties}, {@code additionalProperties}, {@code items} and local {@code $ref}s.
 *
 * <p>Why: the general validator's cost grows faster than the input (a 48 KB {@code kv.read} of 5,000 grants took
 * 17.6 s, 500,000 {@code env} keys 9 s), and its messages for these cases did not give the limit and the count
 * ({@code ( + 5000 > 64)}). A count is known before any element is looked at: an oversized array or object is
 * refused at the cost of reading its size, with a message that says both, e.g.
 * {@code manifest.capabilities.kv.read: has 5000 entries; at most 64 are allowed}. Elements are walked only inside
 * containers within their bounds, so the walk is linear in an input the bounds already keep small.
 */
final class SizeBounds {

  private final JsonObject schema;
  private final JsonObject defs;

  SizeBounds(JsonObject schema) {
    this.schema = schema;
    this.defs = schema.getJsonObject("$defs", new JsonObject());
  }

  /** @return the first bound {@code document} exceeds, or {@code null} */
  CompiledSchema.Failure check(Object document) {
    return check(schema, document, "", 0);
  }

  private CompiledSchema.Failure check(Object node, Object value, String pointer, int refs) {
    if (!(node instanceof JsonObject s) || refs > 32) {
      return null;
    }
    if (s.getValue("$ref") instanceof String ref && ref.startsWith("#/$defs/")) {
      CompiledSchema.Failure failure = check(defs.getValue(ref.substring("#/$defs/".length())), value, pointer,
          refs + 1);
      if (failure != null) {
        return failure;
      }
    }
    if (value instanceof JsonArray array) {
      return checkArray(s, array, pointer, refs);
    }
    if (value instanceof JsonObject object) {
      return checkObject(s, object, pointer, refs);
    }
    if (value instanceof String text && s.getValue("maxLength") instanceof Number max
        && text.length() > max.longValue() && text.codePointCount(0, text.length()) > max.longValue()) {
      return new CompiledSchema.Failure(pointer, "is " + text.codePointCount(0, text.length())
          + " characters long; at most " + max + " are allowed");
    }
    return null;
  }

  private CompiledSchema.Failure checkArray(JsonObject s, JsonArray array, String pointer, int refs) {
    if (s.getValue("maxItems") instanceof Number max && array.size() > max.longValue()) {
      return tooMany(pointer, array.size(), max);
    }
    Object items = s.getValue("items");
    if (items instanceof JsonObject) {
      for (int i = 0; i < array.size(); i++) {
        CompiledSchema.Failure failure = check(items, array.getValue(i), pointer + "/" + i, refs);
        if (failure != null) {
          return failure;
        }
      }
    }
    return null;
  }

  private CompiledSchema.Failure checkObject(JsonObject s, JsonObject object, String pointer, int refs) {
    if (s.getValue("maxProperties") instanceof Number max && object.size() > max.longValue()) {
      return tooMany(pointer, object.size(), max);
    }
    JsonObject properties = s.getJsonObject("properties", new JsonObject());
    Object additional = s.getValue("additionalProperties");
    for (Map.Entry<String, Object> member : object) {
      Object memberSchema = properties.containsKey(member.getKey()) ? properties.getValue(member.getKey()) : additional;
      CompiledSchema.Failure failure = check(memberSchema, member.getValue(),
          pointer + "/" + member.getKey().replace("~", "~0").replace("/", "~1"), refs);
      if (failure != null) {
        return failure;
      }
    }
    return null;
  }

  private static CompiledSchema.Failure tooMany(String pointer, int count, Number max) {
    return new CompiledSchema.Failure(pointer, "has " + count + " entries; at most " + max + " are allowed");
  }
}
