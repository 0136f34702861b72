package io.codesous.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The moves of a schedule's live state, as pure functions of the stored document, so the control API, the scheduler
 * and the tests agree on them and a compare-and-set can re-run them. The state holds: {@code next_fire_at_ms}
 * ({@code null} while paused or ended), {@code inflight} (the markers of runs going on, each
 * {@code {id, expires_at_ms}}: a list rather than an object keyed by activation id, because JSON parsers intern
 * field names and every tick would add a new one),
 * {@code buffered} (scheduled times waiting for the inflight run to end), {@code triggers} (manual fires asked
 * for), {@code counters} and {@code ticks} (newest first, bounded).
 *
 * <p>The moves themselves are {@link LiveState}'s, on the state as fields; the functions here apply them to a
 * document's JSON, for the control API and for what reads a document rarely.
 */
public final class ScheduleState {

  /**
   * How many recent ticks a schedule keeps. Every tick rewrites the schedule's document and this history is most
   * of it, so it is what a tick costs in JSON work and KV bandwidth: 50 is the last minute of a schedule every
   * second, at about half the cost of 100.
   */
  public static final int TICKS_KEPT = 50;
  /** How many ticks {@code buffer_all} holds; a tick beyond that is recorded {@code skipped_overlap}. */
  public static final int BUFFER_ALL_LIMIT = 100;
  /** Bound on the ticks walked in one step after an outage; older ones are counted missed in one go. */
  static final int WALK_LIMIT = 10_000;
  /** The timeout a document without {@code timeout_ms} is taken to have. */
  static final long DEFAULT_TIMEOUT_MS = 60_000;

  /** A run to start: its deterministic activation id, the tick it stands for, and how the tick is recorded. */
  public record Fire(String activationId, long scheduledAtMs, long firedAtMs, String outcome) {
  }

  private ScheduleState() {
  }

  public static JsonObject empty() {
    return new JsonObject().putNull("next_fire_at_ms").putNull("last_fired_at_ms").putNull("last_activation_id")
        .put("inflight", new JsonArray()).put("buffered", new JsonArray()).put("triggers", new JsonArray())
        .put("counters", new JsonObject().put("fired", 0L).put("skipped_overlap", 0L).put("missed", 0L)
            .put("caught_up", 0L).put("lost", 0L))
        .put("ticks", "");
  }

  /** (Re)starts the timing from {@code now}: the next tick after it, none while disabled. */
  public static void schedule(JsonObject state, ScheduleSpec spec, long now) {
    Optional<Long> next = spec.enabled() ? spec.nextAfter(now) : Optional.empty();
    state.put("next_fire_at_ms", next.orElse(null));
  }

  /**
   * The activation id of a tick: the same for the same schedule and scheduled time, in every process, so a tick
   * published twice (a retry, a failover) is one activation.
   */
  public static String activationId(String tenant, String namespace, String name, long scheduledAtMs) {
    byte[] source = ("schedule/" + tenant + "/" + namespace + "/" + name + "/" + scheduledAtMs)
        .getBytes(StandardCharsets.UTF_8);
    return nameUuid(source).toString();
  }

  /** A digest to clone: MD5 is part of every Java platform, and a clone skips the provider lookup. */
  private static final MessageDigest MD5 = md5();

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException absent) {
      throw new IllegalStateException("MD5 is required of every Java platform", absent);
    }
  }

  /**
   * {@link UUID#nameUUIDFromBytes}, the same id, from a clone of one digest: that method looks its digest up among
   * the security providers on each call, about a third of its time, and a scheduler derives an id for every tick
   * it fires (ten thousand a second in {@code bench/run.sh --schedules 10000}).
   */
  static UUID nameUuid(byte[] name) {
    byte[] hash;
    try {
      hash = ((MessageDigest) MD5.clone()).digest(name);
    } catch (CloneNotSupportedException notCloneable) {
      return UUID.nameUUIDFromBytes(name);
    }
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x30);
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (hash[i] & 0xff);
      lsb = (lsb << 8) | (hash[i + 8] & 0xff);
    }
    return new UUID(msb, lsb);
  }

  /** Whose runs a document's ticks start: its tenant, namespace and name. */
  public static LiveState.Owner owner(JsonObject doc) {
    return new LiveState.Owner(doc.getString("tenant"), doc.getString("namespace"), doc.getString("name"));
  }

  /** A move of a live state that answers the runs it starts. */
  @FunctionalInterface
  private interface Move {
    List<Fire> apply(LiveState state);
  }

  /** Applies {@code move} to {@code doc}'s state (see {@link LiveState}) and writes the moved state back. */
  private static List<Fire> moved(JsonObject doc, Move move) {
    JsonObject json = doc.getJsonObject("state");
    LiveState state = LiveState.of(json);
    List<Fire> fires = move.apply(state);
    if (fires != null) {
      state.writeInto(json);
    }
    return fires;
  }

  /**
   * Decides every tick due at {@code now} and moves {@code doc}'s state accordingly; the caller stores the document
   * and, only once stored, starts the returned runs.
   *
   * @param onTimeMs how late a tick may be and still be an ordinary {@code fired} tick (the scheduler's own lag);
   *                 later ones are {@code caught_up} inside the catch-up window and {@code missed} beyond it
   * @param markerMarginMs how long past the version's timeout an inflight marker outlives a lost result
   */
  public static List<Fire> due(JsonObject doc, ScheduleSpec spec, long now, long onTimeMs, long markerMarginMs) {
    return moved(doc, state -> state.due(owner(doc), spec, now, onTimeMs, markerMs(doc, markerMarginMs)));
  }

  /**
   * The run {@code activationId} ended: its marker goes, and under a buffering policy the oldest buffered tick
   * fires now.
   */
  public static List<Fire> ended(JsonObject doc, ScheduleSpec spec, String activationId, long now,
                                 long markerMarginMs) {
    return moved(doc, state -> state.ended(owner(doc), activationId, now, markerMs(doc, markerMarginMs)));
  }

  /**
   * The run {@code activationId} of the tick scheduled at {@code scheduledAtMs} never got into the queue (refused
   * until its marker expired): its marker goes, its tick is recorded {@code lost} and counted, and under a buffering
   * policy the oldest buffered tick fires now, as when a run ends. Without this, the tick would read {@code fired}
   * for a run that never started, and a {@code skip} schedule would skip its next ticks for a marker's lifetime.
   *
   * @return the runs to start, or {@code null} when nothing changed (the tick is no longer in the history and the
   *     run holds no marker, or its loss was recorded already)
   */
  public static List<Fire> lost(JsonObject doc, String activationId, long scheduledAtMs, long now,
                                long markerMarginMs) {
    return moved(doc, state -> state.lost(owner(doc), activationId, scheduledAtMs, now,
        markerMs(doc, markerMarginMs)));
  }

  /**
   * How long the inflight marker of a run of {@code doc}'s schedule lives: the version's timeout (one minute where
   * the document has none) plus {@code markerMarginMs}, so a lost result cannot wedge the schedule.
   */
  public static long markerMs(JsonObject doc, long markerMarginMs) {
    return doc.getLong("timeout_ms", DEFAULT_TIMEOUT_MS) + markerMarginMs;
  }

  /** Drops markers whose run outlived its timeout and margin (a lost result) and releases a buffered tick. */
  public static List<Fire> expired(JsonObject doc, long now, long markerMarginMs) {
    return moved(doc, state -> state.expired(owner(doc), now, markerMs(doc, markerMarginMs)));
  }

  /**
   * The inflight markers of {@code state}, each {@code {id, expires_at_ms}}. A document written when they were an
   * object of activation id to expiry is read as the same markers (and written back as a list).
   */
  public static JsonArray inflight(JsonObject state) {
    Object markers = state.getValue("inflight");
    if (markers instanceof JsonObject legacy) {
      JsonArray list = new JsonArray();
      legacy.forEach(e -> list.add(new JsonObject().put("id", e.getKey()).put("expires_at_ms", e.getValue())));
      state.put("inflight", list);
      return list;
    }
    return (JsonArray) markers;
  }

  /** A marker's activation id; markers come as JsonObject or, from a parsed list, as a map. */
  public static String markerId(Object marker) {
    return marker instanceof JsonObject o ? o.getString("id") : ((java.util.Map<?, ?>) marker).get("id").toString();
  }

  /** A marker's expiry. */
  public static long markerExpiry(Object marker) {
    Object v = marker instanceof JsonObject o ? o.getValue("expires_at_ms")
        : ((java.util.Map<?, ?>) marker).get("expires_at_ms");
    return ((Number) v).longValue();
  }

  /**
   * The recent ticks of a schedule document, newest first, each {@code {scheduled_at_ms, fired_at_ms, outcome,
   * activation_id}} and, for a run of missed ticks, {@code count}.
   */
  public static List<JsonObject> ticks(JsonObject doc) {
    Object stored = doc.getJsonObject("state").getValue("ticks");
    List<JsonObject> out = new ArrayList<>();
    if (stored instanceof String log) {
      for (String[] tick : TickLog.read(log)) {
        out.add(expand(doc, tick));
      }
    } else if (stored instanceof JsonArray listed) {
      // written by an earlier release: ticks as objects are shown as they were, lists as the log's fields
      for (Object tick : listed.getList()) {
        JsonObject object = listedObject(tick);
        out.add(object != null ? object : expand(doc, listedFields(tick)));
      }
    }
    return out;
  }

  /**
   * A tick's fields ({@code scheduled_at_ms, lag, outcome[, count]}, lag empty when it did not run), as the API
   * shows it.
   */
  private static JsonObject expand(JsonObject doc, String[] t) {
    long scheduledAt = Long.parseLong(t[0]);
    String outcome = t[2];
    // a lost run keeps the id its publishes and the scheduler's log lines named, though no activation has it
    boolean fired = outcome.equals("fired") || outcome.equals("caught_up") || outcome.equals("lost");
    JsonObject out = new JsonObject().put("scheduled_at_ms", scheduledAt)
        .put("fired_at_ms", t[1].isEmpty() ? null : scheduledAt + Long.parseLong(t[1])).put("outcome", outcome)
        .put("activation_id", fired ? activationId(doc.getString("tenant"), doc.getString("namespace"),
            doc.getString("name"), scheduledAt) : null);
    if (t.length > 3) {
      out.put("count", Long.parseLong(t[3]));
    }
    return out;
  }

  /** A tick an earlier release stored as an object (parsed, or as a map inside a parsed list); otherwise null. */
  @SuppressWarnings("unchecked")
  private static JsonObject listedObject(Object tick) {
    if (tick instanceof JsonObject object) {
      return object;
    }
    return tick instanceof Map<?, ?> map ? new JsonObject((Map<String, Object>) map) : null;
  }

  /**
   * The log's fields of a tick an earlier release stored in a list: as {@code [scheduled_at_ms, lag, outcome
   * (, count)]}, or as an object {@code {scheduled_at_ms, fired_at_ms, outcome (, count)}}.
   */
  private static String[] listedFields(Object tick) {
    JsonObject t = listedObject(tick);
    if (t != null) {
      long scheduledAt = t.getLong("scheduled_at_ms");
      Long firedAt = t.getLong("fired_at_ms");
      String lag = firedAt == null ? "" : String.valueOf(firedAt - scheduledAt);
      return t.containsKey("count")
          ? new String[] {String.valueOf(scheduledAt), lag, t.getString("outcome"), String.valueOf(t.getLong("count"))}
          : new String[] {String.valueOf(scheduledAt), lag, t.getString("outcome")};
    }
    List<?> list = tick instanceof JsonArray array ? array.getList() : (List<?>) tick;
    String[] fields = new String[list.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = list.get(i) == null ? "" : String.valueOf(list.get(i));
    }
    return fields;
  }

  /** A history an earlier release stored as a list, as the log, without the ticks the next one pushes out. */
  static String carried(JsonArray listed) {
    List<String[]> ticks = new ArrayList<>();
    for (Object tick : listed.getList().subList(0, Math.min(listed.size(), TICKS_KEPT - 1))) {
      ticks.add(listedFields(tick));
    }
    return TickLog.write(ticks);
  }
}
