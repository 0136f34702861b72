package io.codesous.gateway;

import io.codesous.spec.message.InvocationResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests waiting for their results, by activation id — an id this gateway minted, never one a
 * caller can choose, so one caller can never receive another's result. Results arrive on the results consumer's
 * context; each waiter is completed on the context of the request that registered it, so HTTP
 * responses are always written from their own event loop. Nothing here blocks.
 */
class ResultWaiter {

  private record Waiting(Context context, Promise<Optional<InvocationResult>> promise, long timerId) {
  }

  private final Vertx vertx;
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

  ResultWaiter(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Must be called on the request's context before the request is published.
   *
   * @return the result, or an empty optional when {@code waitMs} passed first
   */
  Future<Optional<InvocationResult>> register(String activationId, long waitMs) {
    Context context = vertx.getOrCreateContext();
    Promise<Optional<InvocationResult>> promise = Promise.promise();
    long timer = vertx.setTimer(waitMs, id -> {
      if (waiting.remove(activationId) != null) {
        promise.tryComplete(Optional.empty());
      }
    });
    waiting.put(activationId, new Waiting(context, promise, timer));
    return promise.future();
  }

  /** Gives up on a request (e.g. its publish failed). */
  void cancel(String activationId) {
    Waiting w = waiting.remove(activationId);
    if (w != null) {
      vertx.cancelTimer(w.timerId);
    }
  }

  /** @return whether a request was waiting for this result */
  boolean deliver(InvocationResult result) {
    Waiting w = waiting.remove(result.activationId());
    if (w == null) {
      return false;
    }
    vertx.cancelTimer(w.timerId);
    w.context.runOnContext(v -> w.promise.tryComplete(Optional.of(result)));
    return true;
  }

  /** Answers every waiter as "still pending" (used on shutdown). */
  void releaseAll() {
    for (String id : waiting.keySet()) {
      Waiting w = waiting.remove(id);
      if (w != null) {
        vertx.cancelTimer(w.timerId);
        w.context.runOnContext(v -> w.promise.tryComplete(Optional.empty()));
      }
    }
  }
}
