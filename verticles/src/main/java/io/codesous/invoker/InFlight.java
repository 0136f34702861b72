package io.codesous.invoker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.atomic.AtomicInteger;

/** The messages an invoker has taken and not yet finished, and a wait for there to be none. */
final class InFlight {

  /** How often a drain looks; each look is one counter read. */
  static final long POLL_MS = 50;

  private final AtomicInteger count = new AtomicInteger();

  void started() {
    count.incrementAndGet();
  }

  void finished() {
    count.decrementAndGet();
  }

  int count() {
    return count.get();
  }

  /**
   * Completes once no message has been in flight for {@code quietPolls} looks in a row, or when the deadline
   * passes; the result says how many were still in flight then (0 when drained). Several looks are needed where
   * the queue hands the next message over asynchronously after an acknowledgement: one look may fall between the
   * two.
   */
  Future<Integer> quiet(Vertx vertx, int quietPolls, long deadlineNanos) {
    Promise<Integer> quiet = Promise.promise();
    look(vertx, quietPolls, 0, deadlineNanos, quiet);
    return quiet.future();
  }

  /**
   * @param deadlineNanos on {@link System#nanoTime()}: a drain is bounded in real time, not on the platform's
   *                      clock, which tests may hold still or move by hours
   */
  private void look(Vertx vertx, int quietPolls, int quietSoFar, long deadlineNanos, Promise<Integer> quiet) {
    int now = count.get();
    int quietNow = now == 0 ? quietSoFar + 1 : 0;
    if (quietNow >= quietPolls || System.nanoTime() - deadlineNanos >= 0) {
      quiet.complete(now);
      return;
    }
    vertx.setTimer(POLL_MS, t -> look(vertx, quietPolls, quietNow, deadlineNanos, quiet));
  }
}
