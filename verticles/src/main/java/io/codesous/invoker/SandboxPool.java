package io.codesous.invoker;

import io.codesous.runtime.GuestThreads;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The bounded {@code cs-sandbox} worker pool: every CPU-heavy step of an activation runs here, never on the
 * invoker's event loop — the sandbox itself, and the decoding and sha256 check of a bundle the cache misses.
 * Results complete on the context that called {@link #run}.
 */
final class SandboxPool {

  static final String NAME = "cs-sandbox";

  private final Vertx vertx;
  private final int size;
  private final int guestNice;
  private final FairScheduler scheduler;
  private WorkerExecutor executor;
  private volatile boolean closed;

  /**
   * @param tenantShare most workers one tenant's activations hold at once ({@link FairScheduler})
   * @param guestNice   nice levels below the platform's threads for the pool's workers ({@link GuestThreads})
   */
  SandboxPool(Vertx vertx, int size, int tenantShare, int guestNice) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.size = size;
    this.guestNice = guestNice;
    this.scheduler = new FairScheduler(size, tenantShare);
  }

  void open() {
    // executions end at their deadline; the pool's blocked-thread warning must not fire before that
    executor = vertx.createSharedWorkerExecutor(NAME, size, 10, TimeUnit.MINUTES);
  }

  /**
   * Runs {@code work} on the pool, unordered: activations of one invoker do not wait for each other. Once the pool
   * is closed (the invoker stopping) it answers {@code CS_UNAVAILABLE}, which the invoker treats as an outage: the
   * activation is not ended, and its message returns to the queue. Activations still waiting for a worker when the
   * invoker's drain ran out were otherwise refused by the closed executor and recorded as failed by the platform,
   * so the invoker that received them again found them ended and did not run them.
   */
  <T> Future<T> run(Callable<T> work) {
    if (executor == null) {
      return Future.failedFuture(new IllegalStateException("the sandbox pool is not open"));
    }
    if (closed) {
      return Future.failedFuture(closing());
    }
    return executor.executeBlocking(() -> {
      // a worker lowers itself the first time it runs anything; afterwards this is a thread-local read
      GuestThreads.lowerCurrent(guestNice);
      return work.call();
    }, false).recover(failure -> Future.failedFuture(
        failure instanceof RejectedExecutionException ? closing() : failure));
  }

  private static CsException closing() {
    return new CsException(ErrorCode.CS_UNAVAILABLE, "the sandbox pool is closed: the invoker is stopping");
  }

  /**
   * Runs one activation's sandbox on the pool when {@code tenant} may have another worker: a tenant holds at most
   * its share of the pool while others wait, and waiting activations start round-robin across tenants, then
   * versions ({@link FairScheduler}).
   */
  <T> Future<T> runFairly(String tenant, String version, Callable<T> work) {
    return scheduler.run(tenant, version, () -> run(work));
  }

  /** Workers running an activation now. */
  int busy() {
    return scheduler.busy();
  }

  /** Activations waiting for a worker (their tenant at its share, or every worker busy). */
  int waiting() {
    return scheduler.waiting();
  }

  void close() {
    closed = true;
    if (executor != null) {
      executor.close();
    }
  }
}
