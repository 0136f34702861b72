package io.codesous.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * The load gate's open loop: action number n starts at {@code start + n / rate}, whether or not the earlier ones
 * finished, for {@code rate × seconds} actions. A late start (GC, descheduling) is caught up at once, so the count
 * and the average rate hold.
 */
final class GatePace {

  /** One paced action; it must not block for long, or it delays the ones after it. */
  interface Step {
    void run() throws Exception;
  }

  private GatePace() {
  }

  static void run(int rate, long seconds, Step step) throws Exception {
    long start = System.nanoTime();
    for (long n = 0; n < rate * seconds; n++) {
      // from n, so rounding never accumulates into drift
      long due = start + n * 1_000_000_000L / rate;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      step.run();
    }
  }
}
