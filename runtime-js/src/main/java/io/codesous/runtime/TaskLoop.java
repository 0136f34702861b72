package io.codesous.runtime;

import io.codesous.runtime.ExecutionGuard.GuardedExecution;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The work an activation runs on its executing thread while it waits for the guest: tasks posted from other threads
 * (a host API completing a guest promise) and the function's earliest timer. Its loop ends when the awaited
 * condition holds, when the activation ends, or at the activation's current deadline, which it enforces itself.
 */
final class TaskLoop {

  private static final Runnable WAKE_UP = () -> {
  };
  private static final long NO_TIMER = Long.MIN_VALUE;

  private final GuardedExecution execution;
  private final BooleanSupplier ended;
  private final Runnable timer;
  /** Work to run on the executing thread, for example a host API completing a promise from another thread. */
  private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
  /**
   * When the earliest timer the function set is due ({@link System#nanoTime()}), or {@link #NO_TIMER}. Timers run
   * only while the activation waits for its handler, so none outlives it or runs in a later one.
   */
  private long timerDueNanos = NO_TIMER;

  /**
   * @param execution the activation: its deadline, and what ends it when the deadline passes or the wait is
   *                  interrupted
   * @param ended     whether the activation has ended; once it has, no task is queued and the loop stops
   * @param timer     runs the function's due timers, on the executing thread
   */
  TaskLoop(GuardedExecution execution, BooleanSupplier ended, Runnable timer) {
    this.execution = execution;
    this.ended = ended;
    this.timer = timer;
  }

  /**
   * Queues work to run on the executing thread while the activation waits for its handler's promise; the way for
   * host APIs to complete guest promises from other threads. Work queued after the activation ended never runs.
   */
  void post(Runnable task) {
    if (!ended.getAsBoolean()) {
      tasks.add(task);
    }
  }

  /** Ends a wait in {@link #runTasksUntil} at once, so that it sees the activation has ended; any thread. */
  void wakeUp() {
    tasks.offer(WAKE_UP);
  }

  /** Sets when the earliest timer is due, in the guest's milliseconds; negative for none. Executing thread only. */
  void armTimer(double dueMs) {
    timerDueNanos = dueMs < 0 ? NO_TIMER : GuestBridge.nanoTimeOf(dueMs);
  }

  /**
   * Runs queued tasks until {@code done} holds: the module evaluated, or the handler's promise settled, or a promise
   * rejection went unhandled. The wait ends at the current deadline even when no guard fires, so a promise that
   * never settles cannot keep the thread. A task may throw what the guest threw, e.g. a module whose evaluation
   * fails after a top-level {@code await}.
   *
   * @return whether {@code done} came to hold; {@code false} when the activation was terminated
   */
  boolean runTasksUntil(BooleanSupplier done) {
    while (!done.getAsBoolean()) {
      if (ended.getAsBoolean()) {
        return false;
      }
      long remainingNanos = execution.deadlineNanos() - System.nanoTime();
      if (remainingNanos <= 0) {
        execution.terminate(execution.deadlineTermination());
        return false;
      }
      Runnable task;
      try {
        long timerNanos = timerDueNanos == NO_TIMER ? remainingNanos : timerDueNanos - System.nanoTime();
        task = tasks.poll(Math.max(0, Math.min(remainingNanos, timerNanos)), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        execution.terminate(Termination.interrupted());
        return false;
      }
      if (task != null) {
        task.run();
      }
      if (timerDueNanos != NO_TIMER && timerDueNanos - System.nanoTime() <= 0 && !ended.getAsBoolean()) {
        timerDueNanos = NO_TIMER;
        timer.run();
      }
    }
    return true;
  }
}
