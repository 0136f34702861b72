package io.codesous.bench;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one sender (a virtual user or an open-loop sender) saw: latencies of the 2xx answers to the
 * requests of the measured window, the other outcomes counted. Owned by one Vert.x context, so it
 * needs no synchronization; read only after the sender finished.
 */
final class AnswerTally {

  /** Latencies above this are clamped; a minute is far beyond any healthy answer. */
  static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final MeasurementWindow window;
  private final Histogram latencies = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
  private long answeredInWindow;
  private long non2xx;
  private long failed;
  private String firstProblem;

  AnswerTally(MeasurementWindow window) {
    this.window = window;
  }

  /**
   * An HTTP answer to a request that started (or was scheduled to start) at {@code startNanos}
   * and was read to the end at {@code endNanos}.
   */
  void answered(long startNanos, long endNanos, int status, String body) {
    boolean success = status / 100 == 2;
    if (!success) {
      noteProblem("HTTP " + status + ": " + abbreviate(body));
    }
    if (success && window.isMeasured(endNanos)) {
      answeredInWindow++;
    }
    if (!window.isMeasured(startNanos)) {
      return;
    }
    if (success) {
      latencies.recordValue(Math.min(endNanos - startNanos, HIGHEST_TRACKABLE_NANOS));
    } else {
      non2xx++;
    }
  }

  /** A request that got no answer (connection error, timeout) or was never sent. */
  void failed(long startNanos, String cause) {
    if (window.isMeasured(startNanos)) {
      failed++;
    }
    noteProblem("request failed: " + cause);
  }

  /** One run's result from the tallies of all of its senders. */
  static RunResult combine(String target, LoadMode mode, MeasurementWindow window, List<AnswerTally> tallies) {
    Histogram latencies = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    long answeredInWindow = 0;
    long non2xx = 0;
    long failed = 0;
    String firstProblem = null;
    for (AnswerTally tally : tallies) {
      latencies.add(tally.latencies);
      answeredInWindow += tally.answeredInWindow;
      non2xx += tally.non2xx;
      failed += tally.failed;
      if (firstProblem == null) {
        firstProblem = tally.firstProblem;
      }
    }
    return new RunResult(target, mode, window.measuredSeconds(), answeredInWindow, latencies, non2xx, failed,
        firstProblem);
  }

  private void noteProblem(String problem) {
    if (firstProblem == null) {
      firstProblem = problem;
    }
  }

  private static String abbreviate(String body) {
    return body.length() <= 200 ? body : body.substring(0, 200) + "...";
  }
}
