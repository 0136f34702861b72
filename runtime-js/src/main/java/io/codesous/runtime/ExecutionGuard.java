package io.codesous.runtime;

/**
 * Watches running activations and stops those that break a limit, by calling
 * {@link GuardedExecution#terminate(Termination)} from any thread.
 *
 * <p>{@link Watchdog} enforces the time budget and {@link MemoryGuard} the memory budget; both only decide when,
 * the activation itself cancels its guest.
 */
interface ExecutionGuard {

  /**
   * Starts watching an activation that is about to run. Called on the executing thread before any guest code
   * runs; the returned watch is closed on that thread once the activation has ended, whichever way.
   */
  Watch watch(GuardedExecution execution);

  /** Ends the watch of one activation; must be cheap and must not throw. */
  interface Watch extends AutoCloseable {
    @Override
    void close();

    /**
     * The execution's {@link GuardedExecution#deadlineNanos()} changed (its module evaluation ended and the
     * handler's budget began); called on the executing thread.
     */
    default void deadlineMoved() {
    }
  }

  /** What a guard may see of, and do to, one running activation. */
  interface GuardedExecution {

    /** The thread that runs the guest code. */
    Thread thread();

    InvocationInfo info();

    ExecutionLimits limits();

    /**
     * Bytes the executing thread has allocated since the function's code could first run (so not counting the
     * runtime's own preparation of the context); 0 before that.
     */
    long allocatedBytes();

    /** The handler's time budget in milliseconds. */
    long timeoutMs();

    /** {@link System#nanoTime()} when the execution started. */
    long startNanos();

    /**
     * {@link System#nanoTime()} at which the current time budget ends: module evaluation's while the entry module
     * is evaluated, the handler's afterwards. It moves once, and the watches are told ({@link Watch#deadlineMoved}).
     */
    long deadlineNanos();

    /** How the execution ends when {@link #deadlineNanos()} passes. */
    default Termination deadlineTermination() {
      return Termination.timeout(timeoutMs());
    }

    /** Whether the activation has ended, normally or not. */
    boolean isDone();

    /**
     * Stops the activation: it ends with the given termination as its result and its guest code is cancelled.
     * Safe to call from any thread and more than once; only the first call that precedes the end has an effect.
     *
     * @return whether this call terminated the activation
     */
    boolean terminate(Termination termination);
  }
}
