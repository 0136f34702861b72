package io.codesous.invoker;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-version slots ({@code maxConcurrency}). A request past the limit waits here without a
 * thread; how many can wait is bounded by the invoker's queue credits, so excess stays in the
 * queue. Called from the invoker's event loop only.
 */
final class ConcurrencyLimiter {

  private static final class Slots {
    int used;
    final ArrayDeque<Promise<Void>> waiting = new ArrayDeque<>();
  }

  private final Map<String, Slots> byVersion = new HashMap<>();
  /** Requests waiting for a slot of any version; written on the event loop, read by the metrics scrape. */
  private volatile int waiters;

  /** Completes when a slot of {@code key} is held; pair with {@link #release}. */
  Future<Void> acquire(String key, int limit) {
    Slots slots = byVersion.computeIfAbsent(key, k -> new Slots());
    if (slots.used < limit) {
      slots.used++;
      return Future.succeededFuture();
    }
    Promise<Void> turn = Promise.promise();
    slots.waiting.add(turn);
    waiters++;
    return turn.future();
  }

  void release(String key) {
    Slots slots = byVersion.get(key);
    if (slots == null) {
      return;
    }
    Promise<Void> next = slots.waiting.poll();
    if (next != null) {
      waiters--;
      next.complete();
      return;
    }
    slots.used--;
    if (slots.used == 0) {
      byVersion.remove(key);
    }
  }

  /** All versions' waiters. */
  int waiters() {
    return waiters;
  }

  int inUse(String key) {
    Slots slots = byVersion.get(key);
    return slots == null ? 0 : slots.used;
  }

  int waiting(String key) {
    Slots slots = byVersion.get(key);
    return slots == null ? 0 : slots.waiting.size();
  }
}
