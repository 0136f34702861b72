package io.codesous.observe;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.concurrent.ConcurrentMap;

/**
 * The one place that uses Vert.x's internal context API ({@code io.vertx.core.internal.ContextInternal}): the ids and
 * the span of a request or an activation live in the local data of a <em>duplicated</em> context, and Vert.x 5.0.10
 * has no public way to make one ({@code duplicate()}) or to tell one from the event loop's own ({@code isDuplicate()}).
 * Its public {@code ContextLocal} storage must be registered before the Vert.x instance exists and stores on any
 * context, an event loop's shared one included, where a value would reach every later task of that loop: the leak
 * these ids must never have. Should the internal API change, only this class changes.
 */
final class DuplicatedContexts {

  private DuplicatedContexts() {
  }

  /** The local data of the duplicated context the current thread runs, or {@code null} outside one. */
  static ConcurrentMap<Object, Object> currentLocalData() {
    if (Vertx.currentContext() instanceof ContextInternal context && context.isDuplicate()) {
      return context.localContextData();
    }
    return null;
  }

  /**
   * Runs {@code work} on a new duplicate of {@code parent}: the same event loop or worker, local data of its own. On
   * {@code parent}'s thread it runs at once, without a hop through the loop's task queue.
   */
  static void runOnDuplicate(Context parent, Runnable work) {
    ((ContextInternal) parent).duplicate().emit(v -> work.run());
  }
}
