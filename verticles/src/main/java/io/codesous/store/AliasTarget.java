package io.codesous.store;

import io.codesous.spec.error.CsException;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where an alias sends invocations: its version, and optionally a share of them (in percent) to other versions —
 * a canary. {@code {"version": 3, "weights": {"4": 10}}} sends 10 % to version 4 and the other 90 % to version 3;
 * setting the alias again without {@code weights} is the rollback.
 *
 * @param weights version to percent of invocations, each 1..100, together at most 100, none naming {@code version};
 *                empty for a plain alias. Kept in version order so the stored form and the pick are stable.
 */
public record AliasTarget(long version, Map<Long, Integer> weights) {

  /** More would make a canary hard to reason about, and each is one more version an invoker keeps warm. */
  public static final int MAX_WEIGHTS = 8;

  public AliasTarget {
    weights = Collections.unmodifiableMap(new TreeMap<>(weights));
  }

  public static AliasTarget of(long version) {
    return new AliasTarget(version, Map.of());
  }

  /**
   * Reads the request body's {@code weights} member (may be null) for an alias on {@code version}; a bad one fails
   * with {@code CS_VALIDATION_FAILED} naming the member, e.g. {@code weights["4"]}.
   */
  public static AliasTarget parse(long version, Object weights) {
    if (weights == null) {
      return of(version);
    }
    if (!(weights instanceof JsonObject json)) {
      throw CsException.validation("weights", "must be an object of version to percent");
    }
    if (json.size() > MAX_WEIGHTS) {
      throw CsException.validation("weights", "has " + json.size() + " entries; at most " + MAX_WEIGHTS
          + " are allowed");
    }
    Map<Long, Integer> out = new TreeMap<>();
    int total = 0;
    for (Map.Entry<String, Object> entry : json) {
      String path = "weights[\"" + entry.getKey() + "\"]";
      long other;
      try {
        other = Long.parseLong(entry.getKey());
      } catch (NumberFormatException e) {
        throw CsException.validation(path, "the key must be a version number");
      }
      if (other < 1) {
        throw CsException.validation(path, "the key must be a version number of at least 1");
      }
      if (other == version) {
        throw CsException.validation(path, "names the alias's own version, which takes what the weights leave");
      }
      if (!(entry.getValue() instanceof Integer percent) || percent < 1 || percent > 100) {
        throw CsException.validation(path, "must be an integer percent from 1 to 100");
      }
      total += percent;
      out.put(other, percent);
    }
    if (total > 100) {
      throw CsException.validation("weights", "add up to " + total + " %; at most 100 are allowed");
    }
    return new AliasTarget(version, out);
  }

  /** The version an invocation goes to, for {@code roll} drawn uniformly from 0..99. */
  public long pick(int roll) {
    int bound = 0;
    for (Map.Entry<Long, Integer> share : weights.entrySet()) {
      bound += share.getValue();
      if (roll < bound) {
        return share.getKey();
      }
    }
    return version;
  }

  /** The stored alias record (and the API's answer) without its timestamp. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("version", version);
    if (!weights.isEmpty()) {
      JsonObject shares = new JsonObject();
      weights.forEach((v, percent) -> shares.put(Long.toString(v), percent));
      json.put("weights", shares);
    }
    return json;
  }

  /** Reads a stored alias record; one written before weights existed has none. */
  public static AliasTarget fromStored(JsonObject json) {
    JsonObject shares = json.getJsonObject("weights");
    Map<Long, Integer> out = new TreeMap<>();
    if (shares != null) {
      shares.forEach(e -> out.put(Long.parseLong(e.getKey()), ((Number) e.getValue()).intValue()));
    }
    return new AliasTarget(json.getLong("version"), out);
  }
}
