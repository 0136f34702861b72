package io.codesous.store;

import io.codesous.store.ScheduleState.Fire;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A schedule's live state as fields, and its moves: what {@link ScheduleState} describes and the document's
 * {@code state} member stores as JSON. The moves are written once, here; {@link ScheduleState}'s functions over
 * a document's JSON read the state into one of these, move it and write it back, and the leader keeps its
 * schedules' states as these between ticks ({@link ScheduleDocument}), so a tick neither parses the state's JSON
 * nor builds a tree of maps to encode it again.
 *
 * <p>Why: at ten thousand schedules a second the leader parsed, changed and encoded every schedule's document as a
 * tree of maps once a second, and in a profile of the embedded benchmark that was over half of its lanes' CPU
 * (parsing 23 %, the step's reads and writes of the tree 16 %, encoding 16 %).
 *
 * <p>What an earlier release stored differently is read as it was: inflight markers as an object of activation id
 * to expiry, the tick history as a list (turned into the log when a tick is next recorded, as before). Members and
 * counters this release does not know are kept and written back as they were. Not thread-safe: a state belongs to
 * one lane, or to one change of a document.
 */
public final class LiveState {

  /** An inflight marker: the run's activation id and when the marker expires. */
  public record Marker(String id, long expiresAtMs) {

    /**
     * Whether the marker still holds its run as inflight at {@code nowMs}: until its expiry, not at it. The one rule
     * for the leader's step, its takeover and late results, and the API's view.
     */
    public boolean isLive(long nowMs) {
      return expiresAtMs > nowMs;
    }
  }

  /** What identifies a schedule's runs: the activation id of a tick is derived from these and its time. */
  public record Owner(String tenant, String namespace, String name) {

    String activationId(long scheduledAtMs) {
      return ScheduleState.activationId(tenant, namespace, name, scheduledAtMs);
    }
  }

  /** The counters of a state at one moment, to tell what a move added. */
  public record Counters(long fired, long skippedOverlap, long missed, long caughtUp, long lost) {

    /** The counter named as the API names it; 0 for a name it does not have. */
    public long of(String name) {
      return switch (name) {
        case "fired" -> fired;
        case "skipped_overlap" -> skippedOverlap;
        case "missed" -> missed;
        case "caught_up" -> caughtUp;
        case "lost" -> lost;
        default -> 0;
      };
    }
  }

  private static final String NEXT = "next_fire_at_ms";
  private static final String LAST_FIRED = "last_fired_at_ms";
  private static final String LAST_ID = "last_activation_id";
  private static final String INFLIGHT = "inflight";
  private static final String BUFFERED = "buffered";
  private static final String TRIGGERS = "triggers";
  private static final String COUNTERS = "counters";
  private static final String TICKS = "ticks";

  private Long nextFireAtMs;
  private Long lastFiredAtMs;
  private String lastActivationId;
  private final List<Marker> inflight = new ArrayList<>(2);
  private final List<Long> buffered = new ArrayList<>(0);
  private final List<Long> triggers = new ArrayList<>(0);
  private long fired;
  private long skippedOverlap;
  private long missed;
  private long caughtUp;
  private long lost;
  /** The history: the log ({@link TickLog.Held}), or a list an earlier release stored until a tick is recorded. */
  private Object ticks = TickLog.Held.EMPTY;
  /** Counters this release does not know, as stored; {@code null} when there are none. */
  private Map<String, Object> otherCounters;
  /** State members this release does not know, as stored; {@code null} when there are none. */
  private Map<String, Object> others;

  private LiveState() {
  }

  /** A new schedule's state: nothing fired, nothing due until {@link #schedule}. */
  public static LiveState empty() {
    return new LiveState();
  }

  /** A copy to move: markers and ticks are values, so the lists are copied and what they hold is shared. */
  public LiveState copy() {
    LiveState s = new LiveState();
    s.nextFireAtMs = nextFireAtMs;
    s.lastFiredAtMs = lastFiredAtMs;
    s.lastActivationId = lastActivationId;
    s.inflight.addAll(inflight);
    s.buffered.addAll(buffered);
    s.triggers.addAll(triggers);
    s.fired = fired;
    s.skippedOverlap = skippedOverlap;
    s.missed = missed;
    s.caughtUp = caughtUp;
    s.lost = lost;
    s.ticks = ticks instanceof JsonArray listed ? listed.copy() : ticks;
    s.otherCounters = otherCounters == null ? null : new LinkedHashMap<>(otherCounters);
    s.others = others == null ? null : new LinkedHashMap<>(others);
    return s;
  }

  /** The state a document's {@code state} member holds. */
  public static LiveState of(JsonObject state) {
    LiveState s = new LiveState();
    for (Map.Entry<String, Object> member : state) {
      Object v = member.getValue();
      switch (member.getKey()) {
        case NEXT -> s.nextFireAtMs = v == null ? null : ((Number) v).longValue();
        case LAST_FIRED -> s.lastFiredAtMs = v == null ? null : ((Number) v).longValue();
        case LAST_ID -> s.lastActivationId = (String) v;
        case INFLIGHT -> s.readMarkers(v);
        case BUFFERED -> readLongs(v, s.buffered);
        case TRIGGERS -> readLongs(v, s.triggers);
        case COUNTERS -> s.readCounters(v);
        case TICKS -> s.ticks = v instanceof String log ? TickLog.Held.of(log)
            : v instanceof JsonArray ? v : TickLog.Held.EMPTY;
        default -> {
          if (s.others == null) {
            s.others = new LinkedHashMap<>();
          }
          s.others.put(member.getKey(), v);
        }
      }
    }
    return s;
  }

  private void readMarkers(Object stored) {
    if (stored instanceof JsonObject legacy) {
      // an object of activation id to expiry, as an earlier release wrote them
      legacy.forEach(e -> inflight.add(new Marker(e.getKey(), ((Number) e.getValue()).longValue())));
    } else if (stored instanceof JsonArray list) {
      for (Object marker : list) {
        inflight.add(new Marker(ScheduleState.markerId(marker), ScheduleState.markerExpiry(marker)));
      }
    }
  }

  private static void readLongs(Object stored, List<Long> into) {
    if (stored instanceof JsonArray list) {
      for (Object v : list) {
        into.add(((Number) v).longValue());
      }
    }
  }

  private void readCounters(Object stored) {
    if (!(stored instanceof JsonObject counters)) {
      return;
    }
    for (Map.Entry<String, Object> c : counters) {
      long v = c.getValue() instanceof Number n ? n.longValue() : 0;
      switch (c.getKey()) {
        case "fired" -> fired = v;
        case "skipped_overlap" -> skippedOverlap = v;
        case "missed" -> missed = v;
        case "caught_up" -> caughtUp = v;
        case "lost" -> lost = v;
        default -> {
          if (otherCounters == null) {
            otherCounters = new LinkedHashMap<>();
          }
          otherCounters.put(c.getKey(), c.getValue());
        }
      }
    }
  }

  /** Writes this state's members into {@code state} (a document's {@code state} member), others left as they are. */
  public void writeInto(JsonObject state) {
    JsonArray markers = new JsonArray(new ArrayList<>(inflight.size()));
    for (Marker m : inflight) {
      markers.add(new JsonObject().put("id", m.id).put("expires_at_ms", m.expiresAtMs));
    }
    JsonObject counters = state.getValue(COUNTERS) instanceof JsonObject stored ? stored : new JsonObject();
    counters.put("fired", fired).put("skipped_overlap", skippedOverlap).put("missed", missed)
        .put("caught_up", caughtUp).put("lost", lost);
    state.put(NEXT, nextFireAtMs).put(LAST_FIRED, lastFiredAtMs).put(LAST_ID, lastActivationId)
        .put(INFLIGHT, markers).put(BUFFERED, new JsonArray(new ArrayList<>(buffered)))
        .put(TRIGGERS, new JsonArray(new ArrayList<>(triggers))).put(COUNTERS, counters)
        .put(TICKS, ticks instanceof TickLog.Held held ? held.text() : ticks);
  }

  /**
   * Appends this state as JSON to {@code out}: the members of {@link #toJson}, in its order, written directly
   * rather than through a tree.
   */
  public void encode(StringBuilder out) {
    out.append("{\"" + NEXT + "\":");
    appendLong(out, nextFireAtMs);
    out.append(",\"" + LAST_FIRED + "\":");
    appendLong(out, lastFiredAtMs);
    out.append(",\"" + LAST_ID + "\":");
    appendString(out, lastActivationId);
    out.append(",\"" + INFLIGHT + "\":[");
    for (int i = 0; i < inflight.size(); i++) {
      Marker m = inflight.get(i);
      out.append(i == 0 ? "{\"id\":" : ",{\"id\":");
      appendString(out, m.id);
      out.append(",\"expires_at_ms\":").append(m.expiresAtMs).append('}');
    }
    out.append("],\"" + BUFFERED + "\":");
    appendLongs(out, buffered);
    out.append(",\"" + TRIGGERS + "\":");
    appendLongs(out, triggers);
    out.append(",\"" + COUNTERS + "\":{\"fired\":").append(fired).append(",\"skipped_overlap\":")
        .append(skippedOverlap).append(",\"missed\":").append(missed).append(",\"caught_up\":").append(caughtUp)
        .append(",\"lost\":").append(lost);
    if (otherCounters != null) {
      otherCounters.forEach((name, v) -> appendMember(out, name, v));
    }
    out.append("},\"" + TICKS + "\":");
    if (ticks instanceof TickLog.Held held) {
      if (held.plain()) {
        out.append('"').append(held.text()).append('"');
      } else {
        appendString(out, held.text());
      }
    } else {
      out.append(Json.encode(ticks));
    }
    if (others != null) {
      others.forEach((name, v) -> appendMember(out, name, v));
    }
    out.append('}');
  }

  private static void appendMember(StringBuilder out, String name, Object value) {
    out.append(',');
    appendString(out, name);
    out.append(':').append(Json.encode(value));
  }

  private static void appendLong(StringBuilder out, Long value) {
    if (value == null) {
      out.append("null");
    } else {
      out.append(value.longValue());
    }
  }

  private static void appendLongs(StringBuilder out, List<Long> values) {
    out.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(values.get(i).longValue());
    }
    out.append(']');
  }

  /**
   * Whether JSON text as written here gives {@code c} other than as itself: a control character, a quote, a
   * backslash, or beyond ASCII (which the JSON codec writes escaped).
   */
  static boolean escapedInJson(char c) {
    return c < 0x20 || c == '"' || c == '\\' || c > 0x7e;
  }

  /**
   * A JSON string. The values written here are the platform's own (activation ids, the tick log, names it
   * validated), which need no escaping; one that does goes through the JSON codec.
   */
  private static void appendString(StringBuilder out, String value) {
    if (value == null) {
      out.append("null");
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      if (escapedInJson(value.charAt(i))) {
        out.append(Json.encode(value));
        return;
      }
    }
    out.append('"').append(value).append('"');
  }

  public Long nextFireAtMs() {
    return nextFireAtMs;
  }

  /** The inflight markers, oldest first, expired ones included until a move drops them. */
  public List<Marker> inflight() {
    return inflight;
  }

  public Counters counters() {
    return new Counters(fired, skippedOverlap, missed, caughtUp, lost);
  }

  /** Whether a live marker of {@code activationId} is here at {@code nowMs} (see {@link Marker#isLive}). */
  public boolean isInflight(String activationId, long nowMs) {
    for (Marker m : inflight) {
      if (m.isLive(nowMs) && m.id.equals(activationId)) {
        return true;
      }
    }
    return false;
  }

  /**
   * When the schedule next needs a step, for the leader: its next tick, the expiry of an inflight marker while a buffered tick waits
   * for it, or now when a manual trigger waits; {@code null} when nothing will ever be due on its own.
   *
   * <p>A marker's expiry is a reason for a step only while a tick is buffered: that step releases it. Otherwise
   * the expiry changes nothing a step would act on (the next tick drops expired markers before it decides, and the
   * API does not show them), and a step costs a read and a write of the document. Stepped at every expiry, a
   * schedule whose results did not come back (the benchmark's {@code single} shape runs no invoker) was stepped a
   * second time per tick, a few hundred milliseconds into a later second, among that second's ticks: at ten
   * thousand schedules a second the leader sent 5,781 batched reads in a run where it now sends 3,974, and Redis
   * spent 14.7 s of CPU where it now spends 13.1 s.
   */
  public Long dueAt(long now) {
    if (!triggers.isEmpty()) {
      return now;
    }
    Long due = nextFireAtMs;
    if (buffered.isEmpty()) {
      return due;
    }
    for (Marker m : inflight) {
      due = due == null ? m.expiresAtMs : Math.min(due, m.expiresAtMs);
    }
    return due;
  }

  /** See {@link ScheduleState#due}. */
  public List<Fire> due(Owner owner, ScheduleSpec spec, long now, long onTimeMs, long markerMs) {
    expireMarkers(now);
    List<Fire> fires = new ArrayList<>();
    for (Long trigger : triggers) {
      tick(owner, spec, trigger, now, "fired", markerMs, fires);
    }
    triggers.clear();
    Long next = nextFireAtMs;
    long missedRun = 0;
    long firstMissed = -1;
    int walked = 0;
    while (next != null && next <= now) {
      long lateness = now - next;
      if (lateness > Math.max(onTimeMs, spec.catchupWindowMs()) || walked >= ScheduleState.WALK_LIMIT) {
        if (firstMissed < 0) {
          firstMissed = next;
        }
        missedRun++;
        if (walked >= ScheduleState.WALK_LIMIT) {
          // a long outage: count the rest without walking each tick, then resume from now
          Optional<Long> resume = spec.nextAfter(now);
          missedRun += countBetween(spec, next, now);
          next = resume.orElse(null);
          break;
        }
      } else {
        // the missed run of an outage is older than any tick still caught up: record it first
        recordMissed(firstMissed, missedRun);
        missedRun = 0;
        firstMissed = -1;
        tick(owner, spec, next, now, lateness > onTimeMs ? "caught_up" : "fired", markerMs, fires);
      }
      walked++;
      next = spec.nextAfter(next).orElse(null);
    }
    recordMissed(firstMissed, missedRun);
    nextFireAtMs = next;
    return fires;
  }

  /** A run of missed ticks is one entry with a count, however long the outage. */
  private void recordMissed(long firstMissed, long count) {
    if (count > 0) {
      missed += count;
      record(firstMissed, null, "missed", count);
    }
  }

  /** See {@link ScheduleState#ended}. */
  public List<Fire> ended(Owner owner, String activationId, long now, long markerMs) {
    inflight.removeIf(m -> m.id.equals(activationId));
    expireMarkers(now);
    return releaseBuffered(owner, now, markerMs);
  }

  /** See {@link ScheduleState#lost}; {@code null} when nothing changed. */
  public List<Fire> lost(Owner owner, String activationId, long scheduledAtMs, long now, long markerMs) {
    boolean marked = inflight.removeIf(m -> m.id.equals(activationId));
    TickLog.Held log = storedLog();
    TickLog.Held relabelled = log.markLost(scheduledAtMs);
    boolean recorded = relabelled != log;
    if (!marked && !recorded) {
      return null;
    }
    ticks = relabelled;
    lost++;
    expireMarkers(now);
    return releaseBuffered(owner, now, markerMs);
  }

  /** See {@link ScheduleState#expired}. */
  public List<Fire> expired(Owner owner, long now, long markerMs) {
    expireMarkers(now);
    return releaseBuffered(owner, now, markerMs);
  }

  private List<Fire> releaseBuffered(Owner owner, long now, long markerMs) {
    List<Fire> fires = new ArrayList<>(1);
    if (inflight.isEmpty() && !buffered.isEmpty()) {
      long scheduledAt = buffered.remove(0);
      fire(owner, scheduledAt, now, "fired", markerMs, fires);
    }
    return fires;
  }

  private void tick(Owner owner, ScheduleSpec spec, long scheduledAt, long now, String outcome, long markerMs,
                    List<Fire> fires) {
    if (inflight.isEmpty() || spec.overlap() == ScheduleSpec.Overlap.ALLOW) {
      fire(owner, scheduledAt, now, outcome, markerMs, fires);
      return;
    }
    int room = switch (spec.overlap()) {
      case BUFFER_ONE -> 1;
      case BUFFER_ALL -> ScheduleState.BUFFER_ALL_LIMIT;
      default -> 0;
    };
    if (buffered.size() < room) {
      buffered.add(scheduledAt);
      record(scheduledAt, null, "buffered", null);
      return;
    }
    skippedOverlap++;
    record(scheduledAt, null, "skipped_overlap", null);
  }

  private void fire(Owner owner, long scheduledAt, long now, String outcome, long markerMs, List<Fire> fires) {
    String id = owner.activationId(scheduledAt);
    inflight.add(new Marker(id, now + markerMs));
    lastFiredAtMs = now;
    lastActivationId = id;
    if (outcome.equals("caught_up")) {
      caughtUp++;
    } else {
      fired++;
    }
    record(scheduledAt, now - scheduledAt, outcome, null);
    fires.add(new Fire(id, scheduledAt, now, outcome));
  }

  private void expireMarkers(long now) {
    inflight.removeIf(m -> !m.isLive(now));
  }

  private static long countBetween(ScheduleSpec spec, long fromExclusive, long toInclusive) {
    if (spec.everyMs() != null) {
      return Math.max(0, (toInclusive - fromExclusive) / spec.everyMs());
    }
    long n = 0;
    Optional<Long> t = spec.nextAfter(fromExclusive);
    while (t.isPresent() && t.get() <= toInclusive) {
      n++;
      t = spec.nextAfter(t.get());
    }
    return n;
  }

  /** Adds a tick to the front of the history ({@link TickLog}), which keeps the newest few. */
  private void record(long scheduledAt, Long lag, String outcome, Long count) {
    ticks = storedLog().prepend(scheduledAt, lag, outcome, count, ScheduleState.TICKS_KEPT);
  }

  /** The history as the log, also when an earlier release stored it as a list. */
  private TickLog.Held storedLog() {
    return ticks instanceof TickLog.Held held ? held
        : ticks instanceof JsonArray listed ? TickLog.Held.of(ScheduleState.carried(listed)) : TickLog.Held.EMPTY;
  }
}
