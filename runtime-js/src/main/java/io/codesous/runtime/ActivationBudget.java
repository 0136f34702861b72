package io.codesous.runtime;

import java.util.concurrent.TimeUnit;

/**
 * The time budgets of one activation: module evaluation's (the init budget) until the handler starts, then the
 * handler's, measured from when the activation began.
 */
final class ActivationBudget {

  private final long startMs = System.currentTimeMillis();
  private final long startNanos = System.nanoTime();
  private final long initTimeoutMs;
  private final long timeoutMs;
  /** The init budget's end until the module has been evaluated, then the handler's; see {@link #beginHandler()}. */
  private volatile long deadlineNanos;
  /** Whether the current budget is module evaluation's. */
  private volatile boolean evaluating = true;
  /** How long the activation spent evaluating the entry module. */
  private long initNanos;

  ActivationBudget(long initTimeoutMs, long timeoutMs) {
    this.initTimeoutMs = initTimeoutMs;
    this.timeoutMs = timeoutMs;
    // Until the context is known to have evaluated the module, the activation is in its init budget; a context
    // that has (warm) starts the handler's budget at once.
    this.deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(initTimeoutMs);
  }

  /** Records that evaluating the entry module, begun at {@code evaluationStartNanos}, has ended. */
  void evaluated(long evaluationStartNanos) {
    initNanos = System.nanoTime() - evaluationStartNanos;
  }

  /**
   * Records that the activation waited {@code nanos} for its module's evaluation ahead of it (the first invoke
   * right after a publish): from the activation's point of view, its module evaluation.
   */
  void awaitedEvaluation(long nanos) {
    initNanos = nanos;
  }

  /**
   * Ends module evaluation's budget and starts the handler's, now.
   *
   * @return the wall-clock start of the handler's budget
   */
  long beginHandler() {
    deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    evaluating = false;
    // From the activation's start and the reported init time, so that ctx.deadlineMs = start_ms + init_ms + timeoutMs.
    return startMs + TimeUnit.NANOSECONDS.toMillis(initNanos);
  }

  long startMs() {
    return startMs;
  }

  long startNanos() {
    return startNanos;
  }

  long deadlineNanos() {
    return deadlineNanos;
  }

  long initMs() {
    return TimeUnit.NANOSECONDS.toMillis(initNanos);
  }

  long elapsedMs() {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  long remainingMs() {
    return Math.max(0L, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  /** The termination of the budget that is running out. */
  Termination deadlineTermination() {
    return evaluating ? Termination.initTimeout(initTimeoutMs) : Termination.timeout(timeoutMs);
  }
}
