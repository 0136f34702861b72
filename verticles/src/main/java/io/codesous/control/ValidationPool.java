package io.codesous.control;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Runs the part of a request whose cost grows with its size — decoding a JSON body of megabytes, validating it
 * against a schema, building the canonical tar and hashing it — off the event loops, on a small pool of its own.
 *
 * <p>Why: on an event loop, two hostile drafts held every route of the process (including {@code /healthz}) for
 * 17 s. Here they take at most {@code threads} threads, and the event loops keep answering. The pool is bounded and
 * separate from the sandbox pool, so validation never takes a thread a function needs, nor the other way round.
 *
 * <p>Contract: {@link #run} completes, on the caller's context, with what {@code work} returns or with what it
 * throws (a {@code CsException} unchanged, so it answers with its own status and code).
 */
public final class ValidationPool {

  public static final String POOL_NAME = "cs-validation";

  private final WorkerExecutor executor;

  public ValidationPool(WorkerExecutor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /** A pool of {@code threads} threads named {@value #POOL_NAME}; it is closed with {@code vertx}. */
  public static ValidationPool create(Vertx vertx, int threads) {
    return new ValidationPool(vertx.createSharedWorkerExecutor(POOL_NAME, threads));
  }

  public <T> Future<T> run(Callable<T> work) {
    // unordered: independent requests validate side by side, up to the pool's size
    return executor.executeBlocking(work, false);
  }
}
