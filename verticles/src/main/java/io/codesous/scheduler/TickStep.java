package io.codesous.scheduler;

import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleState;
import io.codesous.store.ScheduleState.Fire;
import io.codesous.store.ScheduleStore;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One due schedule's step: the change its document gets (the ticks due at {@code now} recorded under the leader's
 * epoch, expired markers dropped) and what the change decided, for the publishes that follow a stored change.
 * {@link #apply} may run more than once (a compare-and-set that lost runs it again on a fresh read); each run
 * starts over. It works on the document it is given rather than a copy: at ten thousand ticks a second, copying
 * each document was a good part of the scheduler's CPU.
 */
final class TickStep {

  private final String entry;
  private final long now;
  private final long epoch;
  private final SpecCache specs;
  private final SchedulerOptions options;
  private final List<Fire> fires = new ArrayList<>();
  private JsonObject seen;
  private JsonObject countersBefore;
  private ScheduleSpec spec;
  private boolean newerLeader;

  TickStep(String entry, long now, long epoch, SpecCache specs, SchedulerOptions options) {
    this.entry = entry;
    this.now = now;
    this.epoch = epoch;
    this.specs = specs;
    this.options = options;
  }

  /** The changed document, or {@code null} when nothing is due or a newer leader wrote it. */
  JsonObject apply(JsonObject current) {
    fires.clear();
    countersBefore = null;
    seen = current;
    newerLeader = current.getLong(ScheduleStore.LEADER_EPOCH, 0L) > epoch;
    Long due = Scheduler.dueAt(current.getJsonObject("state"), now);
    if (newerLeader || due == null || due > now) {
      return null;
    }
    countersBefore = current.getJsonObject("state").getJsonObject("counters").copy();
    current.put(ScheduleStore.LEADER_EPOCH, epoch);
    spec = specs.of(entry, current);
    fires.addAll(ScheduleState.due(current, spec, now, options.onTimeMs(), options.markerMarginMs()));
    fires.addAll(ScheduleState.expired(current, now, options.markerMarginMs()));
    return current;
  }

  String entry() {
    return entry;
  }

  long epoch() {
    return epoch;
  }

  /** The document the last {@link #apply} was given (changed in place when it returned it). */
  JsonObject seen() {
    return seen;
  }

  boolean newerLeader() {
    return newerLeader;
  }

  JsonObject countersBefore() {
    return countersBefore;
  }

  ScheduleSpec spec() {
    return spec;
  }

  List<Fire> fires() {
    return fires;
  }
}
