package io.codesous.scheduler;

import io.vertx.core.Future;

/**
 * Which scheduler of a deployment fires ticks. Called on the scheduler's event loop before each walk; an answer
 * never blocks. Leadership only saves work: a tick is recorded by one compare-and-set on its schedule and its
 * activation id is derived from it, so two schedulers that both believe they lead still run each tick once.
 */
public interface LeaderElection {

  /**
   * Acquires or renews leadership as needed and says whether this process leads now.
   *
   * @return {@code true} while this process holds the lease; a failure to reach the store is {@code false}
   */
  Future<Boolean> lead();

  /** Gives leadership up at once (on stop), so a standby need not wait for the lease to run out. */
  Future<Void> resign();

  /** The lease's epoch this process holds, or 0 when it does not lead: grows by one per new holder. */
  long epoch();
}
