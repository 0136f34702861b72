package io.codesous.runtime;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;

/**
 * How one activation ends, exactly once, decided by a compare-and-set: either the worker finishes and keeps what
 * the guest produced, or a guard terminates it first and its {@link Termination} becomes the result, whatever the
 * guest was doing. A termination from another thread cancels the guest by closing its context.
 */
final class ActivationEnd {

  /** Marks a normal end in {@link #ending}; compared by identity. */
  private static final Termination FINISHED =
      new Termination(ExecutionStatus.SUCCESS, "", "finished");

  private final Thread thread;
  private final Executor canceller;
  /** {@code null} while running, then {@link #FINISHED} or the termination. */
  private final AtomicReference<Termination> ending = new AtomicReference<>();
  /** Released once a termination has done all it will do to the context. */
  private final CountDownLatch terminationSettled = new CountDownLatch(1);
  private volatile Context context;

  /**
   * @param thread    the executing thread
   * @param canceller where a termination closes the context of a guest that runs on {@code thread}
   */
  ActivationEnd(Thread thread, Executor canceller) {
    this.thread = thread;
    this.canceller = canceller;
  }

  /** Whether the activation has ended, by finishing or by a termination. */
  boolean hasEnded() {
    return ending.get() != null;
  }

  /** Whether the activation ended by finishing, not by a termination. */
  boolean finished() {
    return ending.get() == FINISHED;
  }

  /** The termination that ended the activation; meaningful only once it ended other than by finishing. */
  Termination termination() {
    return ending.get();
  }

  /** Publishes the context a termination must close from now on. */
  void publish(Context running) {
    context = running;
  }

  /** @return whether the activation finished, {@code false} when a termination ended it first */
  boolean finish() {
    return ending.compareAndSet(null, FINISHED);
  }

  /**
   * Ends the activation with {@code termination} unless it has ended already.
   *
   * @param wakeUp wakes the executing thread if it waits, so that it sees the termination
   * @return whether this termination ended the activation
   */
  boolean terminate(Termination termination, Runnable wakeUp) {
    if (!ending.compareAndSet(null, termination)) {
      return false;
    }
    wakeUp.run();
    Context running = context;
    if (running == null || Thread.currentThread() == thread) {
      // No guest code runs: the executing thread sees the termination and closes the context itself.
      terminationSettled.countDown();
      return true;
    }
    try {
      canceller.execute(() -> {
        try {
          running.close(true);
        } catch (PolyglotException | IllegalStateException e) {
          // Closing a context whose execution is cancelled reports the cancellation; it is closed all the same.
        } finally {
          terminationSettled.countDown();
        }
      });
    } catch (RejectedExecutionException e) {
      // The runtime is closing; closing its engine cancels this context.
      terminationSettled.countDown();
    }
    return true;
  }

  /** Waits, at most {@code graceMs}, until a termination has done all it will do to the context. */
  void awaitTerminationSettled(long graceMs) {
    try {
      terminationSettled.await(graceMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
