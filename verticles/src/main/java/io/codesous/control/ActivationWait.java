package io.codesous.control;

import io.codesous.spec.error.CsException;
import io.codesous.spec.model.ActivationRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The long-poll behind {@code GET .../activations/{id}?wait=30s}: reads the record, and while it is not terminal and
 * the wait has not ended, reads it again after a timer. The record is the one source of truth for every deployment
 * shape (an activation may run on another node and its result may already be gone from the queue), so polling the
 * store works the same embedded and on Redis; timers keep the event loop free between reads. Completes on the
 * caller's context with the last record read; a failed read fails the wait.
 */
final class ActivationWait {

  /** The longest wait a client may ask for; longer holds connections past common proxy idle timeouts. */
  static final long MAX_WAIT_MS = 60_000;
  private static final Pattern WAIT = Pattern.compile("(\\d{1,6})(ms|s)?");

  private final Vertx vertx;
  private final long pollMs;

  ActivationWait(Vertx vertx, long pollMs) {
    this.vertx = vertx;
    this.pollMs = pollMs;
  }

  /**
   * Parses {@code wait}: {@code 30s}, {@code 500ms} or bare seconds ({@code 30}), at most {@link #MAX_WAIT_MS}.
   * Absent means no wait (0).
   */
  static long parseWaitMs(String raw) {
    if (raw == null) {
      return 0;
    }
    Matcher m = WAIT.matcher(raw);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      long ms = "ms".equals(m.group(2)) ? n : n * 1000;
      if (ms <= MAX_WAIT_MS) {
        return ms;
      }
    }
    throw CsException.validation("wait", "must be a duration like 30s or 500ms, at most " + MAX_WAIT_MS / 1000 + "s");
  }

  /** Reads until the record is terminal or {@code waitMs} passed; the last record read. */
  Future<ActivationRecord> until(Supplier<Future<ActivationRecord>> read, long waitMs) {
    long deadline = System.nanoTime() + waitMs * 1_000_000L;
    Promise<ActivationRecord> done = Promise.promise();
    poll(read, deadline, done);
    return done.future();
  }

  private void poll(Supplier<Future<ActivationRecord>> read, long deadline, Promise<ActivationRecord> done) {
    read.get().onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
      if (ar.result().status().terminal() || leftMs <= 0) {
        done.complete(ar.result());
        return;
      }
      vertx.setTimer(Math.max(1, Math.min(pollMs, leftMs)), t -> poll(read, deadline, done));
    });
  }
}
