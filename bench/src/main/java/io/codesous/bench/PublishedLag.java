package io.codesous.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;

import java.util.concurrent.TimeUnit;

/**
 * The scheduler's {@code cs.scheduler.tick.lag} over a window: from a tick's scheduled time to its request being
 * acknowledged on the invoke topic, for the ticks published between {@link #start} and {@link #percentileMs}. The
 * lag a tick's history records ({@code fired_at_ms}) is taken when the scheduler decides the tick, before its
 * state is written and its request published; this one ends after both. Read from the timer's histogram buckets,
 * so a percentile is the upper bound of the bucket it falls in (buckets are a few percent to a third apart).
 */
final class PublishedLag {

  private final Timer timer;
  private CountAtBucket[] from;

  PublishedLag(MeterRegistry registry) {
    this.timer = registry.get("cs.scheduler.tick.lag").timer();
  }

  void start() {
    from = timer.takeSnapshot().histogramCounts();
  }

  /** The {@code p} percentile of the ticks published since {@link #start}, in ms; -1 when none was. */
  long percentileMs(double p) {
    CountAtBucket[] to = timer.takeSnapshot().histogramCounts();
    double total = to.length == 0 ? 0 : to[to.length - 1].count() - from[from.length - 1].count();
    if (total <= 0) {
      return -1;
    }
    for (int i = 0; i < to.length; i++) {
      if (to[i].count() - from[i].count() >= p * total) {
        return Math.round(to[i].bucket(TimeUnit.MILLISECONDS));
      }
    }
    return Math.round(to[to.length - 1].bucket(TimeUnit.MILLISECONDS));
  }
}
