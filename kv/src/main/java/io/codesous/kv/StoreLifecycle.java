package io.codesous.kv;

import io.vertx.core.Future;

import java.util.function.Supplier;

/**
 * Where a {@link KvStore} is in its one life, and what a call meets there, kept once for every backend so that
 * each refuses alike, as the port promises: only a started store answers; before its start and after its stop a
 * call fails with a {@link KvException} naming the store; a stopped store cannot be started again.
 *
 * <p>Safe to call from any thread. A backend that keeps state of its own beside the phase (a timer, a connection)
 * changes both under its own lock, and takes that lock before calling here.
 */
public final class StoreLifecycle {

  /** The phases, in the only order a store goes through them (a failed start may go back to {@code NEW}). */
  public enum Phase { NEW, STARTING, STARTED, STOPPED }

  private final String store;
  private volatile Phase phase = Phase.NEW;
  private Future<Void> starting;

  /** @param store how messages name the store, e.g. {@code "redis store"} */
  public StoreLifecycle(String store) {
    this.store = store;
  }

  public Phase phase() {
    return phase;
  }

  /**
   * Starts once: the first call runs {@code open} (in phase {@code STARTING}), whose future every start shares
   * until the store is started or stopped; a started store succeeds, a stopped one fails. {@code open} ends its
   * work with {@link #started()} or {@link #startFailed()}.
   */
  public synchronized Future<Void> start(Supplier<Future<Void>> open) {
    switch (phase) {
      case STOPPED:
        return Future.failedFuture(stopped());
      case STARTED:
        return Future.succeededFuture();
      case STARTING:
        return starting;
      default:
        phase = Phase.STARTING;
        starting = open.get();
        return starting;
    }
  }

  /**
   * Ends a start that succeeded.
   *
   * @return {@code false} when a stop came first: the store stays stopped, and the caller closes what it opened
   */
  public synchronized boolean started() {
    if (phase != Phase.STARTING) {
      return false;
    }
    phase = Phase.STARTED;
    return true;
  }

  /** Ends a start that failed; the next start tries again, unless the store was stopped meanwhile. */
  public synchronized void startFailed() {
    if (phase == Phase.STARTING) {
      phase = Phase.NEW;
    }
  }

  /** Stops for good. */
  public synchronized void stop() {
    phase = Phase.STOPPED;
  }

  /** {@code null} while the store is started; otherwise what a call fails with. */
  public KvException refusal() {
    return switch (phase) {
      case STARTED -> null;
      case STOPPED -> stopped();
      default -> new KvException(store + " is not started");
    };
  }

  /** What a call fails with once the store is stopped (also when a stop overtakes a call already accepted). */
  public KvException stopped() {
    return new KvException(store + " is stopped");
  }
}
