package io.codesous.bench;

import org.HdrHistogram.Histogram;

/**
 * What one target answered under one load mode during the measured window.
 *
 * @param target           {@code bare-vertx} or a shape's label
 * @param answeredInWindow 2xx answers that arrived during the window, whenever their request started
 * @param latencies        of the 2xx answers to the requests of the window, in nanoseconds
 * @param firstProblem     the first failure or non-2xx answer seen (warm-up included), or null
 */
record RunResult(String target, LoadMode mode, double measuredSeconds, long answeredInWindow, Histogram latencies,
                 long non2xx, long failed, String firstProblem) {

  long succeeded() {
    return latencies.getTotalCount();
  }

  /**
   * What the target delivered: answers that arrived in the window. For an open loop that the
   * target cannot keep up with this stays below the offered rate.
   */
  double requestsPerSecond() {
    return answeredInWindow / measuredSeconds;
  }

  double p50Millis() {
    return percentileMillis(50);
  }

  double p99Millis() {
    return percentileMillis(99);
  }

  /** No request of the set got a 2xx answer. */
  boolean failedCompletely() {
    return succeeded() == 0;
  }

  /** Every request of the measured window got a 2xx answer. */
  boolean clean() {
    return !failedCompletely() && non2xx == 0 && failed == 0;
  }

  private double percentileMillis(double percentile) {
    return latencies.getValueAtPercentile(percentile) / 1e6;
  }
}
