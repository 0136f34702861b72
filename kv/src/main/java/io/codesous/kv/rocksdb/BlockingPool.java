package io.codesous.kv.rocksdb;

import io.codesous.kv.KvException;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The RocksDB store's own bounded pool of daemon threads: RocksDB calls block, so every one runs here and never on
 * an event loop.
 *
 * <h2>One hand-off each way per event-loop turn</h2>
 * The calls an event loop makes during one turn of its loop are handed to the pool together, as one task, when the
 * turn's queued work reaches the hand-off ({@link #run}), and their results come back together, as one task of the
 * event loop that completes each call's promise on the context that made the call. Calls made elsewhere (a worker,
 * a thread of no context) go at once and complete on the pool's thread. Handing each call over on its own, and
 * each result back on its own, cost two wake-ups and two thread switches per call: on one core a woken event loop
 * preempts the pool thread that woke it, takes the result, makes its next call and sleeps again, and only then does
 * the pool thread go on. A {@code perf} profile of the embedded server under load (warm hello, one core) put the
 * pool's threads at a third of the process, a quarter of that in the kernel waking and parking threads, and the
 * event loop's side of the wake-ups at a few per cent more. A large batch, such as a fan-out of many calls in one
 * turn, is split into tasks of at most {@link #MAX_BATCH} calls so that the threads share it.
 */
final class BlockingPool {

  /** Most calls one task of the pool runs one after another. */
  static final int MAX_BATCH = 8;

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
  /** The calls the current thread, an event loop, made in its current turn and has not handed over yet. */
  private final ThreadLocal<List<Call<?>>> turnCalls = new ThreadLocal<>();
  /** Run after each task's calls and before their results are given: what makes their writes durable. */
  private final Task<Void> afterCalls;

  /**
   * @param afterCalls run on the pool after each task's calls, before any of them completes; when it throws, the
   *                   calls of that task that succeeded fail with what it threw
   */
  BlockingPool(int threads, String store, Supplier<KvException> stopped, Task<Void> afterCalls) {
    this.store = store;
    this.stopped = stopped;
    this.afterCalls = afterCalls;
    AtomicInteger threadNumber = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, task -> {
      Thread thread = new Thread(task, "cs-kv-rocksdb-" + threadNumber.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Runs a blocking task on the pool; what it throws fails the promise as a {@link KvException}. Called on an event
   * loop, the task is handed over with the loop's other calls of this turn, and the promise completes on the
   * calling context.
   */
  <T> void run(Task<T> task, Promise<T> promise) {
    ContextInternal caller = ContextInternal.current();
    if (caller == null || !caller.isEventLoopContext() || !Context.isOnEventLoopThread()) {
      submit(List.of(new Call<>(task, promise, null)));
      return;
    }
    List<Call<?>> calls = turnCalls.get();
    if (calls == null) {
      calls = new ArrayList<>();
      turnCalls.set(calls);
      caller.runOnContext(ignored -> handOver());
    }
    calls.add(new Call<>(task, promise, caller));
  }

  /**
   * Runs a blocking task on the pool now, not with the calls of the caller's turn: opening, closing, and the sweep,
   * which may take long enough to hold back the calls it would share a task with.
   */
  <T> void runAlone(Task<T> task, Promise<T> promise) {
    submit(List.of(new Call<>(task, promise, null)));
  }

  /** On the event loop whose turn made the calls: hands them to the pool. */
  private void handOver() {
    List<Call<?>> calls = turnCalls.get();
    turnCalls.set(null);
    for (int from = 0; from < calls.size(); from += MAX_BATCH) {
      submit(calls.subList(from, Math.min(calls.size(), from + MAX_BATCH)));
    }
  }

  /** Calls with a caller are all of one event loop's turn; their results go back to it in one task. */
  private void submit(List<Call<?>> calls) {
    ContextInternal loop = calls.get(0).caller;
    try {
      pool.execute(() -> {
        for (Call<?> call : calls) {
          call.run();
        }
        try {
          afterCalls.call();
        } catch (Exception | Error thrown) {
          KvException failure = failureOf(thrown);
          for (Call<?> call : calls) {
            if (call.failure == null) {
              call.failure = failure;
            }
          }
        }
        if (loop == null) {
          for (Call<?> call : calls) {
            call.settle();
          }
        } else {
          loop.execute(() -> {
            for (Call<?> call : calls) {
              call.caller.emit(ignored -> call.settle());
            }
          });
        }
      });
    } catch (RejectedExecutionException stopping) {
      KvException refusal = stopped.get();
      for (Call<?> call : calls) {
        call.promise.tryFail(refusal);
      }
    }
  }

  /** What a call fails with when its task or the step after it throws: a refusal as it is, anything else named. */
  private KvException failureOf(Throwable thrown) {
    return thrown instanceof KvException refused ? refused : new KvException(store + ": " + thrown, thrown);
  }

  /** Lets the tasks already queued run, and refuses new ones. */
  void shutdown() {
    pool.shutdown();
  }

  boolean isShutdown() {
    return pool.isShutdown();
  }

  /** One call, its outcome once run, and the promise it completes on its caller's context. */
  private final class Call<T> {
    private final Task<T> task;
    private final Promise<T> promise;
    /** The event-loop context that made the call; {@code null} when the call completes on the pool's thread. */
    private final ContextInternal caller;
    private T result;
    private Throwable failure;

    Call(Task<T> task, Promise<T> promise, ContextInternal caller) {
      this.task = task;
      this.promise = promise;
      this.caller = caller;
    }

    /** Runs the task and keeps its outcome; never throws, since the calls after it in its task must run too. */
    void run() {
      try {
        result = task.call();
      } catch (Exception | Error thrown) {
        // an Error too: a caller waiting on the future must hear of it
        failure = failureOf(thrown);
      }
    }

    /** Completes the promise with the outcome, on the thread and context it is called on. */
    void settle() {
      if (failure != null) {
        promise.tryFail(failure);
      } else {
        promise.tryComplete(result);
      }
    }
  }
}
