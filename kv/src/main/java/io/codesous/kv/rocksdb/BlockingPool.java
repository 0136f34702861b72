package io.codesous.kv.rocksdb;

import io.codesous.kv.KvException;
import io.vertx.core.Promise;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The RocksDB store's own bounded pool of daemon threads: RocksDB calls block, so every one runs here and never on
 * an event loop.
 */
final class BlockingPool {

  /** A blocking task of the pool; it may throw what RocksDB or the file system throws. */
  @FunctionalInterface
  interface Task<T> {
    T call() throws Exception;
  }

  private final ExecutorService pool;
  /** Names the store in the failures the pool reports. */
  private final String store;
  /** What a task handed to the pool after its shutdown fails with: the store is stopped. */
  private final Supplier<KvException> stopped;

  BlockingPool(int threads, String store, Supplier<KvException> stopped) {
    this.store = store;
    this.stopped = stopped;
    AtomicInteger threadNumber = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, task -> {
      Thread thread = new Thread(task, "cs-kv-rocksdb-" + threadNumber.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Runs a blocking task on the pool; what it throws fails the promise as a {@link KvException}. */
  <T> void run(Task<T> task, Promise<T> promise) {
    try {
      pool.execute(() -> {
        try {
          promise.complete(task.call());
        } catch (KvException refused) {
          promise.fail(refused);
        } catch (Exception | Error failure) {
          // an Error too: a caller waiting on the future must hear of it
          promise.fail(new KvException(store + ": " + failure, failure));
        }
      });
    } catch (RejectedExecutionException stopping) {
      promise.fail(stopped.get());
    }
  }

  /** Lets the tasks already queued run, and refuses new ones. */
  void shutdown() {
    pool.shutdown();
  }

  boolean isShutdown() {
    return pool.isShutdown();
  }
}
