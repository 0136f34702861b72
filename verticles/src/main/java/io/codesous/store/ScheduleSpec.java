package io.codesous.store;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.codesous.spec.error.CsException;
import io.codesous.spec.model.FunctionRef;
import io.codesous.spec.validation.Names;
import io.vertx.core.json.JsonObject;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a user asked a schedule to do, validated: which function, when (a fixed interval or a 5-field cron in an
 * IANA zone), with what payload, and what to do with a tick that comes while the previous run is still inflight.
 * Every refusal is a {@code CS_VALIDATION_FAILED} naming the body member.
 */
public record ScheduleSpec(String function, String ref, Long everyMs, String cron, ZoneId timezone,
                           JsonObject payload, Overlap overlap, long catchupWindowMs, boolean enabled,
                           Long startAtMs, Long endAtMs) {

  /** What a tick does while the schedule's previous run is inflight (the names Temporal uses). */
  public enum Overlap {
    SKIP, ALLOW, BUFFER_ONE, BUFFER_ALL;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Overlap parse(String path, Object raw) {
      if (raw instanceof String s) {
        for (Overlap o : values()) {
          if (o.wire().equals(s)) {
            return o;
          }
        }
      }
      throw CsException.validation(path, "must be one of skip, allow, buffer_one, buffer_all");
    }

    /** The misfire names some schedulers use: skip, catchup (buffer_all), compress (buffer_one). */
    static Overlap fromMisfire(Object raw) {
      if (raw instanceof String s) {
        switch (s) {
          case "skip":
            return SKIP;
          case "catchup":
            return BUFFER_ALL;
          case "compress":
            return BUFFER_ONE;
          default:
            break;
        }
      }
      throw CsException.validation("misfire", "must be one of skip, catchup, compress");
    }
  }

  public static final long MIN_INTERVAL_MS = 1000;
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})(ms|s|m|h)");
  public static final Set<String> MEMBERS = Set.of("function", "ref", "every", "cron", "timezone", "payload",
      "overlap", "misfire", "catchup_window", "enabled", "start_at_ms", "end_at_ms");
  /** UNIX cron: minute hour day-of-month month day-of-week. */
  private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /** Validates a PUT body; nothing is looked up here (the function's existence is the store's question). */
  public static ScheduleSpec parse(JsonObject body) {
    for (String name : body.fieldNames()) {
      if (!MEMBERS.contains(name)) {
        throw CsException.validation(name, "is not a schedule member");
      }
    }
    String function = Names.requireName("function", body.getValue("function") instanceof String f ? f : null);
    Object rawRef = body.getValue("ref", "latest");
    if (!(rawRef instanceof String ref)) {
      throw CsException.validation("ref", "must be a string");
    }
    FunctionRef.parse("ref", ref);
    Object every = body.getValue("every");
    Object cron = body.getValue("cron");
    if ((every == null) == (cron == null)) {
      throw CsException.validation(every == null ? "every" : "cron", "exactly one of every and cron is required");
    }
    Long everyMs = null;
    String cronText = null;
    if (every != null) {
      everyMs = duration("every", every);
      if (everyMs < MIN_INTERVAL_MS) {
        throw CsException.validation("every", "must be at least 1s");
      }
    } else {
      if (!(cron instanceof String c)) {
        throw CsException.validation("cron", "must be a string");
      }
      cronText = c.trim();
      try {
        CRON.parse(cronText).validate();
      } catch (IllegalArgumentException bad) {
        throw CsException.validation("cron", "is not a 5-field cron expression: " + bad.getMessage());
      }
    }
    ZoneId zone = ZoneId.of("UTC");
    if (body.getValue("timezone") != null) {
      if (!(body.getValue("timezone") instanceof String tz)) {
        throw CsException.validation("timezone", "must be an IANA time zone name");
      }
      try {
        zone = ZoneId.of(tz);
      } catch (DateTimeException bad) {
        throw CsException.validation("timezone", "is not an IANA time zone: " + tz);
      }
    }
    Object payload = body.getValue("payload");
    if (payload != null && !(payload instanceof JsonObject)) {
      throw CsException.validation("payload", "must be an object");
    }
    if (body.getValue("overlap") != null && body.getValue("misfire") != null) {
      throw CsException.validation("misfire", "give overlap or misfire, not both");
    }
    Overlap overlap = body.getValue("overlap") != null ? Overlap.parse("overlap", body.getValue("overlap"))
        : body.getValue("misfire") != null ? Overlap.fromMisfire(body.getValue("misfire")) : Overlap.SKIP;
    long catchup = body.getValue("catchup_window") == null ? 0 : duration("catchup_window", body.getValue("catchup_window"));
    Object enabled = body.getValue("enabled", true);
    if (!(enabled instanceof Boolean on)) {
      throw CsException.validation("enabled", "must be true or false");
    }
    Long start = optionalMs(body, "start_at_ms");
    Long end = optionalMs(body, "end_at_ms");
    if (start != null && end != null && end <= start) {
      throw CsException.validation("end_at_ms", "must be after start_at_ms");
    }
    return new ScheduleSpec(function, ref, everyMs, cronText, zone, (JsonObject) payload, overlap, catchup, on,
        start, end);
  }

  /**
   * The first tick strictly after {@code afterMs}, or empty when the schedule ends first. An interval counts from
   * {@code start_at_ms} (or the epoch), so every process computes the same ticks; a cron tick is computed in the
   * schedule's zone, so a DST change moves it as wall clocks do.
   */
  public Optional<Long> nextAfter(long afterMs) {
    long from = startAtMs != null ? Math.max(afterMs, startAtMs - 1) : afterMs;
    long next;
    if (everyMs != null) {
      long origin = startAtMs == null ? 0 : startAtMs;
      next = origin + (Math.floorDiv(from - origin, everyMs) + 1) * everyMs;
    } else {
      ZonedDateTime at = Instant.ofEpochMilli(from).atZone(timezone);
      Optional<ZonedDateTime> n = ExecutionTime.forCron(CRON.parse(cron)).nextExecution(at);
      if (n.isEmpty()) {
        return Optional.empty();
      }
      next = n.get().toInstant().toEpochMilli();
    }
    return endAtMs != null && next > endAtMs ? Optional.empty() : Optional.of(next);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("function", function).put("ref", ref);
    if (everyMs != null) {
      json.put("every", everyMs + "ms");
    } else {
      json.put("cron", cron);
    }
    json.put("timezone", timezone.getId()).put("payload", payload).put("overlap", overlap.wire())
        .put("catchup_window", catchupWindowMs + "ms").put("enabled", enabled)
        .put("start_at_ms", startAtMs).put("end_at_ms", endAtMs);
    return json;
  }

  /** Reads {@link #toJson()}'s form back (a stored spec was validated when it was written). */
  public static ScheduleSpec fromJson(JsonObject json) {
    JsonObject copy = json.copy();
    copy.fieldNames().removeIf(name -> copy.getValue(name) == null);
    return parse(copy);
  }

  public ScheduleSpec withEnabled(boolean on) {
    return new ScheduleSpec(function, ref, everyMs, cron, timezone, payload, overlap, catchupWindowMs, on,
        startAtMs, endAtMs);
  }

  static long duration(String path, Object raw) {
    if (raw instanceof String s) {
      Matcher m = DURATION.matcher(s);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> n;
          case "s" -> n * 1000;
          case "m" -> n * 60_000;
          default -> n * 3_600_000;
        };
      }
    }
    throw CsException.validation(path, "must be a duration such as 500ms, 30s, 5m or 2h");
  }

  private static Long optionalMs(JsonObject body, String path) {
    Object v = body.getValue(path);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.longValue() >= 0) {
      return n.longValue();
    }
    throw CsException.validation(path, "must be epoch milliseconds");
  }
}
