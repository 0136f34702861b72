package io.codesous.kv.redis;

import java.util.function.LongSupplier;

/**
 * When the server last failed to answer and how long calls should fail fast because of it.
 *
 * <p>The pooled client opens a new connection whenever a call needs one, so a server that is down
 * would otherwise be dialled by every call. After a failure, calls are refused without touching
 * the network until the backoff has passed; the period starts at the initial value and doubles with
 * each consecutive failure up to the maximum. The first answer from the server resets it. Once a
 * period has passed, calls go through again, and the first of them that reaches the server (or
 * fails again) decides what happens next.
 *
 * <p>Thread-safe.
 */
final class ReconnectBackoff {

  private final long initialMs;
  private final long maxMs;
  private final LongSupplier clockMs;

  private int consecutiveFailures;
  private long failFastUntilMs;
  private String lastFailure;

  ReconnectBackoff(long initialMs, long maxMs, LongSupplier clockMs) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.clockMs = clockMs;
  }

  /** Why calls must fail now, or {@code null} when they may go to the server. */
  synchronized String refusal() {
    long remainingMs = failFastUntilMs - clockMs.getAsLong();
    if (consecutiveFailures == 0 || remainingMs <= 0) {
      return null;
    }
    return "unavailable after " + consecutiveFailures + " consecutive failure(s), the last: "
        + lastFailure + "; next attempt in " + remainingMs + " ms";
  }

  /** The server answered (an error reply counts): its connection works. */
  synchronized void recordAnswer() {
    consecutiveFailures = 0;
    failFastUntilMs = 0;
    lastFailure = null;
  }

  /** The server could not be reached or did not answer in time. */
  synchronized void recordFailure(String reason) {
    consecutiveFailures = consecutiveFailures == Integer.MAX_VALUE
        ? consecutiveFailures
        : consecutiveFailures + 1;
    long now = clockMs.getAsLong();
    long until = now + currentPeriodMs();
    failFastUntilMs = until < now ? Long.MAX_VALUE : until;
    lastFailure = reason;
  }

  /** The fail-fast period that the latest failure started, 0 when there is none. */
  synchronized long currentPeriodMs() {
    if (consecutiveFailures == 0) {
      return 0;
    }
    long period = initialMs;
    for (int doublings = 1; doublings < consecutiveFailures && period < maxMs; doublings++) {
      period = period > maxMs / 2 ? maxMs : period * 2;
    }
    return Math.min(period, maxMs);
  }
}
