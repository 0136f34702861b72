package io.codesous.scheduler;

import io.codesous.store.LiveState;
import io.codesous.store.ScheduleDocument;
import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleState.Fire;

import java.util.ArrayList;
import java.util.List;

/**
 * One schedule's step: the change its document gets (the runs given up as lost since its last step recorded, the
 * ticks due at {@code now} recorded under the leader's epoch, expired markers dropped) and what the change decided,
 * for the publishes that follow a stored change. A schedule is stepped when a tick is due or a lost run waits
 * ({@link LostRuns}).
 * {@link #apply} may run more than once (a compare-and-set that lost runs it again on a fresh read); each run
 * starts over, on the document it is given.
 */
final class TickStep {

  private final String entry;
  private final long now;
  private final long epoch;
  private final SpecCache specs;
  private final SchedulerOptions options;
  private final List<Fire> lost;
  private final List<Fire> fires = new ArrayList<>();
  private ScheduleDocument seen;
  private LiveState.Counters countersBefore;
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
   * Changes {@code current}; {@code false} (and {@code current} as it was) when nothing is due and no lost run is
   * left to record, or a newer leader wrote it. Lost runs come first, so a {@code skip} schedule's tick does not
   * find the marker of a run that never started.
   */
  boolean apply(ScheduleDocument current) {
    fires.clear();
    countersBefore = null;
    seen = current;
    newerLeader = current.leaderEpoch() > epoch;
    if (newerLeader) {
      return false;
    }
    LiveState state = current.state();
    Long due = state.dueAt(now);
    boolean ticks = due != null && due <= now;
    if (!ticks && lost.isEmpty()) {
      return false;
    }
    LiveState.Counters counters = state.counters();
    long markerMs = current.markerMs(options.markerMarginMs());
    boolean changed = ticks;
    for (Fire run : lost) {
      List<Fire> released = state.lost(current.owner(), run.activationId(), run.scheduledAtMs(), now, markerMs);
      if (released != null) {
        changed = true;
        fires.addAll(released);
      }
    }
    if (!changed) {
      return false;
    }
    countersBefore = counters;
    current.leaderEpoch(epoch);
    spec = specs.of(entry, current);
    if (ticks) {
      fires.addAll(state.due(current.owner(), spec, now, options.onTimeMs(), markerMs));
    }
    fires.addAll(state.expired(current.owner(), now, markerMs));
    return true;
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

  /** The document the last {@link #apply} was given (changed when it answered {@code true}). */
  ScheduleDocument seen() {
    return seen;
  }

  boolean newerLeader() {
    return newerLeader;
  }

  LiveState.Counters countersBefore() {
    return countersBefore;
  }

  ScheduleSpec spec() {
    return spec;
  }

  List<Fire> fires() {
    return fires;
  }
}
