package io.codesous.scheduler;

import org.slf4j.Logger;

import java.util.function.LongSupplier;

/**
 * The log lines of runs the queue refused, at most one a {@link #INTERVAL_MS} per kind, each saying how many it
 * stands for. A full in-JVM topic refuses every run of ten thousand schedules a second, and one WARN line for each
 * buried everything else in the log; the counters ({@code cs.scheduler.publish.refused},
 * {@code cs.scheduler.runs.lost}) count every one. Confined to a lane's event loop.
 */
final class RefusalLog {

  static final long INTERVAL_MS = 10_000;

  private final Logger log;
  private final LongSupplier clockMs;
  private final String what;
  private long loggedAtMs = Long.MIN_VALUE;
  private int since;

  /** @param what what happened to the runs, as the line says it: "were refused by the queue", … */
  RefusalLog(Logger log, LongSupplier clockMs, String what) {
    this.log = log;
    this.clockMs = clockMs;
    this.what = what;
  }

  /** Counts one run; writes a line when none was written in the last {@link #INTERVAL_MS}. */
  void count(String entry, long scheduledAtMs, String activationId, String reason) {
    since++;
    long now = clockMs.getAsLong();
    if (loggedAtMs == Long.MIN_VALUE || now - loggedAtMs >= INTERVAL_MS) {
      log.warn("{} scheduled run(s) {} since the last such line (the latest: schedule {} tick {}, activation {}: {})",
          since, what, entry, scheduledAtMs, activationId, reason);
      loggedAtMs = now;
      since = 0;
    }
  }
}
