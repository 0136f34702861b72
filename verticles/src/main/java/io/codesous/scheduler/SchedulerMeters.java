package io.codesous.scheduler;

import io.codesous.store.LiveState;
import io.codesous.store.ScheduleState.Fire;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The scheduler's meters: {@code cs.scheduler.ticks} by {@code outcome} (counted from the counters a state write
 * added, so a tick is counted once, by the scheduler that recorded it), {@code cs.scheduler.tick.lag} (from a
 * tick's scheduled time to its request being on the invoke topic, for ticks fired on their turn; caught-up ticks
 * are late by design and only counted), {@code cs.scheduler.leader} (1 while this process leads),
 * {@code cs.scheduler.schedules} (schedules the leader holds in memory), {@code cs.scheduler.publish.refused}
 * (publishes of runs the queue refused, each attempt) and {@code cs.scheduler.runs.lost} (runs recorded as fired
 * that could not be published before their inflight marker expired).
 */
final class SchedulerMeters {

  static final List<String> OUTCOMES = List.of("fired", "skipped_overlap", "missed", "caught_up");

  private final Timer lag;
  private final Counter publishRefused;
  private final Counter runsLost;
  /** {@code cs.scheduler.ticks} of each of {@link #OUTCOMES}, in its order: looked up once, not at every tick. */
  private final List<Counter> ticks;

  SchedulerMeters(MeterRegistry registry, LeaderElection election, IntSupplier held) {
    this.lag = Timer.builder("cs.scheduler.tick.lag").publishPercentiles(0.5, 0.99).publishPercentileHistogram()
        .register(registry);
    Gauge.builder("cs.scheduler.leader", election, e -> e.epoch() > 0 ? 1 : 0).register(registry);
    Gauge.builder("cs.scheduler.schedules", held, h -> h.getAsInt()).register(registry);
    this.publishRefused = registry.counter("cs.scheduler.publish.refused");
    this.runsLost = registry.counter("cs.scheduler.runs.lost");
    this.ticks = OUTCOMES.stream().map(outcome -> registry.counter("cs.scheduler.ticks", "outcome", outcome)).toList();
  }

  /** Counts what a state write added to a schedule's counters ({@code was} before it, {@code now} after). */
  void countNewTicks(LiveState.Counters was, LiveState.Counters now) {
    for (int i = 0; i < OUTCOMES.size(); i++) {
      long added = now.of(OUTCOMES.get(i)) - was.of(OUTCOMES.get(i));
      if (added > 0) {
        ticks.get(i).increment(added);
      }
    }
  }

  void publishRefused() {
    publishRefused.increment();
  }

  void runLost() {
    runsLost.increment();
  }

  void published(Fire fire, long nowMs) {
    if ("fired".equals(fire.outcome())) {
      lag.record(Math.max(0, nowMs - fire.scheduledAtMs()), TimeUnit.MILLISECONDS);
    }
  }
}
