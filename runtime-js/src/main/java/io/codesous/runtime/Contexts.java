package io.codesous.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.graalvm.polyglot.Source;

/** Where activations get their context from and give it back: the prewarm pool and the warm contexts. */
final class Contexts implements AutoCloseable {

  private final ScheduledExecutorService background;
  private final ContextPool pool;
  private final WarmContexts warm;

  /** @param heapPressure whether the heap is filling with live data, so idle warm contexts should make room */
  Contexts(ContextFactory factory, RuntimeOptions options, List<ExecutionGuard> guards, Executor canceller,
           BooleanSupplier heapPressure) {
    // it creates, prepares and closes contexts: guest work, behind the platform's threads like the sandbox pool's
    int guestNice = options.getGuestNice();
    this.background = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(() -> {
        GuestThreads.lowerCurrent(guestNice);
        task.run();
      }, "cs-js-contexts");
      thread.setDaemon(true);
      return thread;
    });
    this.pool = new ContextPool(factory, options, background, guards, canceller);
    this.warm = new WarmContexts(options, background, heapPressure);
  }

  /** A context the calling activation owns until {@link #release}. */
  GuestContext acquire(ExecutionRequest request, ContextShape shape, Source entry) {
    if (request.warm()) {
      GuestContext idle = warm.take(WarmContexts.Key.of(request, shape));
      if (idle != null) {
        return idle;
      }
    }
    return pool.take(request, shape, entry);
  }

  /** Starts preparing contexts for a version that is about to be invoked; returns at once. */
  CompletableFuture<Void> prepare(ExecutionRequest request, ContextShape shape, Source entry) {
    return pool.prepare(request, shape, entry);
  }

  /**
   * Ends the activation's ownership: a warm version's context is kept when {@code reusable}, every other context is
   * closed.
   */
  void release(ExecutionRequest request, GuestContext context, boolean reusable) {
    pool.released(context.takeHeldFrom());
    if (reusable && request.warm()) {
      warm.give(WarmContexts.Key.of(request, context.shape()), context);
    } else {
      context.close();
    }
  }

  ContextPool pool() {
    return pool;
  }

  WarmContexts warm() {
    return warm;
  }

  @Override
  public void close() {
    background.shutdownNow();
    pool.close();
    warm.close();
  }
}
