package io.codesous.runtime;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the time budget: at an activation's deadline it terminates the activation with {@code TIMEOUT}, which
 * closes the guest's context with cancellation and so stops even a busy loop.
 *
 * <p>One scheduler thread serves every activation of a runtime. It only decides <em>when</em>: the cancelling close
 * itself, which waits until the guest has left the context, runs on the activation's canceller (see
 * {@link Activation#terminate(Termination)}), so one slow cancellation cannot delay the deadlines of others.
 * {@code Context.interrupt(Duration)} is not used because it does not reliably stop a running guest.
 */
final class Watchdog implements ExecutionGuard, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

  private final ScheduledExecutorService scheduler;
  private final long cancelGraceMs;

  /**
   * @param cancelGraceMs after a termination, how long an activation may take to stop before it is reported as
   *                      stuck (its worker thread is then lost until the guest yields)
   */
  Watchdog(long cancelGraceMs) {
    this.cancelGraceMs = cancelGraceMs;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "cs-js-watchdog");
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public Watch watch(GuardedExecution execution) {
    AtomicReference<ScheduledFuture<?>> deadline = new AtomicReference<>(schedule(execution));
    return new Watch() {
      @Override
      public void close() {
        deadline.get().cancel(false);
      }

      @Override
      public void deadlineMoved() {
        deadline.getAndSet(schedule(execution)).cancel(false);
      }
    };
  }

  private ScheduledFuture<?> schedule(GuardedExecution execution) {
    long delayNanos = Math.max(0, execution.deadlineNanos() - System.nanoTime());
    return scheduler.schedule(() -> expire(execution), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void expire(GuardedExecution execution) {
    if (System.nanoTime() - execution.deadlineNanos() < 0) {
      // The deadline moved later after this expiry was scheduled; the expiry scheduled for the new one decides.
      return;
    }
    if (!execution.terminate(execution.deadlineTermination())) {
      return;
    }
    scheduler.schedule(() -> {
      if (!execution.isDone()) {
        LOG.warn("activation {} is still running {} ms after its timeout cancelled it; "
            + "thread {} is abandoned to it", execution.info().activationId(), cancelGraceMs,
            execution.thread().getName());
      }
    }, cancelGraceMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
