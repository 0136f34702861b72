package io.codesous.store;

import io.codesous.spec.error.CsException;
import io.codesous.spec.model.FunctionRef;
import io.codesous.spec.validation.Names;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A Cadence worker binding, validated: which Cadence domain and task list to poll, as which worker, with how many
 * poll loops, how many tasks at once, and which function serves each activity type. Every refusal is a
 * {@code CS_VALIDATION_FAILED} whose {@code details.path} is the dotted body member ({@code pollers.activity},
 * {@code activity_map.SousInvokeActivity.function}).
 */
public record BindingSpec(String domain, String tasklist, String workerId, int activityPollers, int maxInflightTasks,
                          Map<String, Target> activityMap, boolean enabled, double heartbeatsPerSecond) {

  /** The function an activity type runs, with the ref ({@code alias}, version number or {@code latest}) to resolve. */
  public record Target(String function, String ref) {
    JsonObject toJson() {
      JsonObject json = new JsonObject().put("function", function);
      if (Names.LATEST.equals(ref)) {
        return json;
      }
      if (ref.chars().allMatch(Character::isDigit)) {
        json.put("version", Long.parseLong(ref));
      } else {
        json.put("alias", ref);
      }
      return json;
    }
  }

  public static final Set<String> MEMBERS = Set.of("name", "domain", "tasklist", "worker_id", "pollers", "limits",
      "activity_map", "enabled", "heartbeat");
  public static final int MAX_POLLERS = 64;
  public static final int MAX_INFLIGHT = 10_000;
  public static final int MAX_ACTIVITY_TYPES = 256;
  public static final double DEFAULT_HEARTBEATS_PER_SECOND = 2;
  private static final int MAX_IDENTIFIER = 255;

  /** Validates a PUT body; nothing is looked up here (whether the functions exist is the API's question). */
  public static BindingSpec parse(JsonObject body, String name) {
    members(body, "", MEMBERS, "a binding member");
    if (body.getValue("name") != null && !name.equals(body.getValue("name"))) {
      throw CsException.validation("name", "must match the name in the path (" + name + ")");
    }
    String domain = identifier(body, "domain", null);
    String tasklist = identifier(body, "tasklist", null);
    String workerId = identifier(body, "worker_id", "cs-cadence-poller");
    JsonObject pollers = object(body, "pollers");
    members(pollers, "pollers.", Set.of("activity"), "a pollers member");
    int activity = integer(pollers, "pollers.", "activity", 2, MAX_POLLERS);
    JsonObject limits = object(body, "limits");
    members(limits, "limits.", Set.of("max_inflight_tasks"), "a limits member");
    int maxInflight = integer(limits, "limits.", "max_inflight_tasks", 64, MAX_INFLIGHT);
    Object enabled = body.getValue("enabled", true);
    if (!(enabled instanceof Boolean on)) {
      throw CsException.validation("enabled", "must be true or false");
    }
    JsonObject heartbeat = object(body, "heartbeat");
    members(heartbeat, "heartbeat.", Set.of("max_per_second"), "a heartbeat member");
    Object rate = heartbeat.getValue("max_per_second", DEFAULT_HEARTBEATS_PER_SECOND);
    if (!(rate instanceof Number n) || !(n.doubleValue() > 0) || n.doubleValue() > 100) {
      throw CsException.validation("heartbeat.max_per_second", "must be a number above 0 and at most 100");
    }
    return new BindingSpec(domain, tasklist, workerId, activity, maxInflight, activityMap(body), on,
        n.doubleValue());
  }

  private static Map<String, Target> activityMap(JsonObject body) {
    if (!(body.getValue("activity_map") instanceof JsonObject map) || map.isEmpty()) {
      throw CsException.validation("activity_map", "must map at least one activity type to a function");
    }
    if (map.size() > MAX_ACTIVITY_TYPES) {
      throw CsException.validation("activity_map", "holds at most " + MAX_ACTIVITY_TYPES + " activity types");
    }
    Map<String, Target> out = new LinkedHashMap<>();
    for (String type : map.fieldNames()) {
      String path = "activity_map." + type;
      if (type.isBlank() || type.length() > MAX_IDENTIFIER) {
        throw CsException.validation(path, "an activity type is 1.." + MAX_IDENTIFIER + " characters");
      }
      if (!(map.getValue(type) instanceof JsonObject entry)) {
        throw CsException.validation(path, "must be an object {function, alias | version}");
      }
      members(entry, path + ".", Set.of("function", "alias", "version"), "an activity_map entry member");
      String function = Names.requireName(path + ".function",
          entry.getValue("function") instanceof String f ? f : null);
      if (entry.containsKey("alias") && entry.containsKey("version")) {
        throw CsException.validation(path + ".alias", "give alias or version, not both");
      }
      String ref = "latest";
      if (entry.containsKey("alias")) {
        ref = Names.requireAlias(path + ".alias", entry.getValue("alias") instanceof String a ? a : null);
      } else if (entry.containsKey("version")) {
        if (!(entry.getValue("version") instanceof Number v) || v.longValue() < 1
            || v.doubleValue() != v.longValue()) {
          throw CsException.validation(path + ".version", "must be a positive integer");
        }
        ref = Long.toString(v.longValue());
      }
      FunctionRef.parse(path, ref);
      out.put(type, new Target(function, ref));
    }
    return Collections.unmodifiableMap(out);
  }

  private static void members(JsonObject json, String prefix, Set<String> allowed, String what) {
    for (String name : json.fieldNames()) {
      if (!allowed.contains(name)) {
        throw CsException.validation(prefix + name, "is not " + what);
      }
    }
  }

  private static String identifier(JsonObject body, String field, String fallback) {
    Object raw = body.getValue(field, fallback);
    if (!(raw instanceof String s) || s.isBlank() || s.length() > MAX_IDENTIFIER) {
      throw CsException.validation(field, "must be a string of 1.." + MAX_IDENTIFIER + " characters");
    }
    return s;
  }

  private static JsonObject object(JsonObject body, String field) {
    Object raw = body.getValue(field, new JsonObject());
    if (!(raw instanceof JsonObject json)) {
      throw CsException.validation(field, "must be an object");
    }
    return json;
  }

  private static int integer(JsonObject json, String prefix, String field, int fallback, int max) {
    Object raw = json.getValue(field, fallback);
    if (!(raw instanceof Integer || raw instanceof Long) || ((Number) raw).longValue() < 1
        || ((Number) raw).longValue() > max) {
      throw CsException.validation(prefix + field, "must be an integer 1.." + max);
    }
    return ((Number) raw).intValue();
  }

  public JsonObject toJson() {
    JsonObject map = new JsonObject();
    activityMap.forEach((type, target) -> map.put(type, target.toJson()));
    return new JsonObject().put("domain", domain).put("tasklist", tasklist).put("worker_id", workerId)
        .put("pollers", new JsonObject().put("activity", activityPollers))
        .put("limits", new JsonObject().put("max_inflight_tasks", maxInflightTasks))
        .put("activity_map", map).put("enabled", enabled)
        .put("heartbeat", new JsonObject().put("max_per_second", heartbeatsPerSecond));
  }

  /** The stored form read back (it was valid when it was written). */
  public static BindingSpec fromJson(JsonObject json, String name) {
    return parse(json, name);
  }
}
