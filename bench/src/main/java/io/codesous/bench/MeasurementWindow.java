package io.codesous.bench;

import java.time.Duration;

/**
 * The time line of one run on the {@link System#nanoTime()} clock: a warm-up whose requests are
 * discarded, then the measured window. A request belongs to the window it was sent in (in an open
 * loop: scheduled in).
 */
final class MeasurementWindow {

  private final long measuredStartNanos;
  private final long endNanos;

  MeasurementWindow(long startNanos, Duration warmup, Duration measured) {
    this.measuredStartNanos = startNanos + warmup.toNanos();
    this.endNanos = measuredStartNanos + measured.toNanos();
  }

  /** Whether a request sent at {@code sentNanos}, or an answer that arrived then, is recorded. */
  boolean isMeasured(long sentNanos) {
    return sentNanos - measuredStartNanos >= 0 && sentNanos - endNanos < 0;
  }

  /** Whether nothing sent at {@code nowNanos} would belong to the run any more. */
  boolean isOver(long nowNanos) {
    return nowNanos - endNanos >= 0;
  }

  double measuredSeconds() {
    return (endNanos - measuredStartNanos) / 1e9;
  }
}
