package io.codesous.runtime;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the time budget: at an activation's deadline it terminates the activation with {@code TIMEOUT}, which
 * closes the guest's context with cancellation and so stops even a busy loop.
 *
 * <p>One thread serves every activation of a runtime. It only decides <em>when</em>: the cancelling close itself,
 * which waits until the guest has left the context, runs on the activation's canceller (see
 * {@link Activation#terminate(Termination)}), so one slow cancellation cannot delay the deadlines of others.
 * {@code Context.interrupt(Duration)} is not used because it does not reliably stop a running guest.
 *
 * <h2>One wake-up per deadline that matters</h2>
 * Almost every activation ends long before its deadline, so the thread sleeps until the earliest deadline it knows
 * of and is woken early only by a watch whose deadline comes sooner. A watch that ends removes itself and wakes no
 * one; when the thread wakes for a deadline whose activation has ended meanwhile, it looks at the executions still
 * watched (at most one per sandbox thread and per context being prepared) and sleeps until the earliest of theirs.
 * Under a steady load of activations with the same timeout that is one wake-up per timeout, not one per activation:
 * a scheduled executor, which this replaced, queued a task per activation and woke for each cancelled one at its
 * deadline (a {@code perf} profile of the embedded server under load put that thread at 3.5 % of the process, most
 * of it in {@code futex} calls, every wake-up a context switch on a busy core).
 */
final class Watchdog implements ExecutionGuard, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

  private final long cancelGraceMs;
  /** Guards every field below and is what the thread waits on. */
  private final Object lock = new Object();
  /** Executions watched until their deadline, and terminated ones until their grace ends. */
  private final Set<Watched> watched = new HashSet<>();
  /** Whether the thread sleeps until {@link #wakeAtNanos} (else until it is woken). */
  private boolean sleepsUntil;
  private long wakeAtNanos;
  private boolean closed;
  /** How many times the thread has woken up; for the tests. */
  private long wakeUps;

  /**
   * @param cancelGraceMs after a termination, how long an activation may take to stop before it is reported as
   *                      stuck (its worker thread is then lost until the guest yields)
   */
  Watchdog(long cancelGraceMs) {
    this.cancelGraceMs = cancelGraceMs;
    Thread thread = new Thread(this::run, "cs-js-watchdog");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public Watch watch(GuardedExecution execution) {
    Watched watch = new Watched(execution);
    synchronized (lock) {
      if (closed) {
        // an activation nobody would stop at its deadline must not start
        throw new IllegalStateException("the runtime is closed");
      }
      watched.add(watch);
      wakeIfSooner(execution.deadlineNanos());
    }
    return watch;
  }

  /** Wakes the thread when {@code dueNanos} comes before the time it sleeps until. Holds the lock. */
  private void wakeIfSooner(long dueNanos) {
    if (!sleepsUntil || dueNanos - wakeAtNanos < 0) {
      sleepsUntil = true;
      wakeAtNanos = dueNanos;
      lock.notify();
    }
  }

  private void run() {
    List<Watched> due = new ArrayList<>();
    while (true) {
      synchronized (lock) {
        if (!takeDue(due)) {
          return;
        }
      }
      for (Watched watch : due) {
        fire(watch);
      }
      due.clear();
    }
  }

  /**
   * Waits until a watch is due and moves the due ones to {@code due}. Holds the lock.
   *
   * @return false once the watchdog is closed
   */
  private boolean takeDue(List<Watched> due) {
    while (!closed) {
      long now = System.nanoTime();
      boolean any = false;
      long earliest = 0;
      for (Iterator<Watched> it = watched.iterator(); it.hasNext(); ) {
        Watched watch = it.next();
        long at = watch.dueNanos();
        if (at - now <= 0) {
          it.remove();
          due.add(watch);
        } else if (!any || at - earliest < 0) {
          any = true;
          earliest = at;
        }
      }
      if (!due.isEmpty()) {
        return true;
      }
      sleepsUntil = any;
      wakeAtNanos = earliest;
      try {
        if (any) {
          long waitNanos = earliest - now;
          // rounded up to the next millisecond: waking early would only mean another look
          lock.wait(TimeUnit.NANOSECONDS.toMillis(waitNanos) + 1);
        } else {
          lock.wait();
        }
      } catch (InterruptedException e) {
        return false;
      }
      wakeUps++;
    }
    return false;
  }

  /** Terminates an execution past its deadline, or reports one still running after its grace. */
  private void fire(Watched watch) {
    GuardedExecution execution = watch.execution;
    if (watch.graceEndsNanos != 0) {
      if (!execution.isDone()) {
        LOG.warn("activation {} is still running {} ms after its timeout cancelled it; "
            + "thread {} is abandoned to it", execution.info().activationId(), cancelGraceMs,
            execution.thread().getName());
      }
      return;
    }
    if (System.nanoTime() - execution.deadlineNanos() < 0) {
      // the deadline moved later (the module's evaluation ended) after the look that found it due: watch it on
      if (!execution.isDone()) {
        watchAgain(watch);
      }
      return;
    }
    try {
      if (!execution.terminate(execution.deadlineTermination())) {
        return;
      }
    } catch (RuntimeException e) {
      // the thread serves every activation's deadline: one failed termination must not end it
      LOG.warn("terminating activation {} at its deadline failed", execution.info().activationId(), e);
      return;
    }
    // a non-zero end marks the grace check; 1 ns later at worst when nanoTime happens to give 0
    long ends = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cancelGraceMs);
    watch.graceEndsNanos = ends == 0 ? 1 : ends;
    watchAgain(watch);
  }

  /** Puts a watch the thread took out back among the watched, until its {@link Watched#dueNanos()}. */
  private void watchAgain(Watched watch) {
    synchronized (lock) {
      if (!closed) {
        watched.add(watch);
        wakeIfSooner(watch.dueNanos());
      }
    }
  }

  /** How many times the thread has woken up so far. */
  long wakeUps() {
    synchronized (lock) {
      return wakeUps;
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      watched.clear();
      lock.notify();
    }
  }

  /** One execution's watch; its deadline is read from the execution, so a moved deadline needs no new entry. */
  private final class Watched implements Watch {
    final GuardedExecution execution;
    /**
     * When the terminated execution's grace ends; 0 while it is watched for its deadline. Set by the thread while the
     * watch is out of the set, which the lock of putting it back publishes.
     */
    long graceEndsNanos;

    Watched(GuardedExecution execution) {
      this.execution = execution;
    }

    long dueNanos() {
      return graceEndsNanos != 0 ? graceEndsNanos : execution.deadlineNanos();
    }

    @Override
    public void close() {
      synchronized (lock) {
        watched.remove(this);
      }
    }

    @Override
    public void deadlineMoved() {
      synchronized (lock) {
        if (watched.contains(this)) {
          wakeIfSooner(execution.deadlineNanos());
        }
      }
    }
  }
}
