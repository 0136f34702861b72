package io.codesous.scheduler;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.function.Function;

/**
 * Runs a step over a list in batches, a few batches at a time, and completes when every batch has. A KV client
 * queues only so many commands (the Redis adapter's pool refuses beyond its waiting limit), so the batches of ten
 * thousand due schedules cannot all go at once; the window slides rather than goes round by round, so one slow
 * batch holds back no other. A batch on the in-memory KV completes before it returns: those are taken in a loop,
 * not by recursion, and each one's successor starts in a later turn of the event loop, so results and requests are
 * served in between. Confined to the calling event loop.
 */
final class BatchWindow<T> {

  private final Promise<Void> all = Promise.promise();
  private final List<T> items;
  private final int batchSize;
  private final int batchesInFlight;
  private final Function<List<T>, Future<Void>> step;
  private int next;
  private int running;

  private BatchWindow(List<T> items, int batchSize, int batchesInFlight, Function<List<T>, Future<Void>> step) {
    this.items = items;
    this.batchSize = batchSize;
    this.batchesInFlight = batchesInFlight;
    this.step = step;
  }

  /**
   * Steps {@code items} in batches of {@code batchSize}, {@code batchesInFlight} at most at once; a failed batch
   * does not stop the others (the step reports its own failures).
   */
  static <T> Future<Void> run(List<T> items, int batchSize, int batchesInFlight, Function<List<T>, Future<Void>> step) {
    BatchWindow<T> window = new BatchWindow<>(items, batchSize, batchesInFlight, step);
    window.launch();
    return window.all.future();
  }

  private void launch() {
    while (running < batchesInFlight && next < items.size()) {
      List<T> batch = items.subList(next, Math.min(items.size(), next + batchSize));
      next += batch.size();
      Future<Void> stepped = step.apply(batch);
      if (!stepped.isComplete()) {
        running++;
        stepped.onComplete(done -> {
          running--;
          launch();
        });
      } else if (next < items.size() && Vertx.currentContext() != null) {
        Vertx.currentContext().runOnContext(later -> launch());
        return;
      }
    }
    if (running == 0 && next >= items.size()) {
      all.tryComplete();
    }
  }
}
