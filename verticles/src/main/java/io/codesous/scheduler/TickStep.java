package io.codesous.scheduler;

import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleState;
import io.codesous.store.ScheduleState.Fire;
import io.codesous.store.ScheduleStore;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One schedule's step: the change its document gets (the runs given up as lost since its last step recorded, the
 * ticks due at {@code now} recorded under the leader's epoch, expired markers dropped) and what the change decided,
 * for the publishes that follow a stored change. A schedule is stepped when a tick is due or a lost run waits
 * ({@link LostRuns}).
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
  private final List<Fire> lost;
  private final List<Fire> fires = new ArrayList<>();
  private JsonObject seen;
  private JsonObject countersBefore;
  private ScheduleSpec spec;
  private boolean newerLeader;

  /** @param lost the schedule's runs given up as lost and not yet recorded, recorded first */
  TickStep(String entry, long now, long epoch, List<Fire> lost, SpecCache specs, SchedulerOptions options) {
    this.entry = entry;
    this.now = now;
    this.epoch = epoch;
    this.lost = lost;
    this.specs = specs;
    this.options = options;
  }

  /**
   * The changed document, or {@code null} when nothing is due and no lost run is left to record, or a newer leader
   * wrote it. Lost runs come first, so a {@code skip} schedule's tick does not find the marker of a run that never
   * started.
   */
  JsonObject apply(JsonObject current) {
    fires.clear();
    countersBefore = null;
    seen = current;
    newerLeader = current.getLong(ScheduleStore.LEADER_EPOCH, 0L) > epoch;
    if (newerLeader) {
      return null;
    }
    JsonObject state = current.getJsonObject("state");
    Long due = Scheduler.dueAt(state, now);
    boolean ticks = due != null && due <= now;
    if (!ticks && lost.isEmpty()) {
      return null;
    }
    JsonObject counters = state.getJsonObject("counters").copy();
    boolean changed = ticks;
    for (Fire run : lost) {
      List<Fire> released = ScheduleState.lost(current, run.activationId(), run.scheduledAtMs(), now,
          options.markerMarginMs());
      if (released != null) {
        changed = true;
        fires.addAll(released);
      }
    }
    if (!changed) {
      return null;
    }
    countersBefore = counters;
    current.put(ScheduleStore.LEADER_EPOCH, epoch);
    spec = specs.of(entry, current);
    if (ticks) {
      fires.addAll(ScheduleState.due(current, spec, now, options.onTimeMs(), options.markerMarginMs()));
    }
    fires.addAll(ScheduleState.expired(current, now, options.markerMarginMs()));
    return current;
  }

  /** The lost runs this step records (or finds recorded already). */
  List<Fire> lost() {
    return lost;
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
