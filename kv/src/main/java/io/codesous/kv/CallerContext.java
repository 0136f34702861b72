package io.codesous.kv;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Keeps the port's promise that a future completes on the context that called: where a backend's
 * future may complete elsewhere (a client that closes on a thread of its own, one start shared by
 * callers on several contexts), it passes the future through here, so that a verticle continues
 * on its own event loop, and a worker on its worker.
 */
public final class CallerContext {

  private CallerContext() {
  }

  /**
   * The future, completing on the context of the current thread. Call it on the caller's thread,
   * when the operation is made. A future already complete needs no hop (its handlers run at once,
   * on the thread that adds them), and neither does a caller outside any context.
   */
  public static <T> Future<T> completeOnCaller(Future<T> future) {
    Context caller = Vertx.currentContext();
    if (caller == null || future.isComplete()) {
      return future;
    }
    Promise<T> onCaller = Promise.promise();
    future.onComplete(outcome -> {
      if (Vertx.currentContext() == caller) {
        onCaller.handle(outcome);
      } else {
        caller.runOnContext(ignored -> onCaller.handle(outcome));
      }
    });
    return onCaller.future();
  }
}
