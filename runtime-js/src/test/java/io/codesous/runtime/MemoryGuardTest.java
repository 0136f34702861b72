package io.codesous.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryGuardTest {

  private MemoryGuard guard;

  @BeforeEach
  void start() {
    assumeTrue(ThreadAllocation.supported(), "per-thread allocation counts are needed to enforce the budget");
    guard = new MemoryGuard(1);
  }

  @AfterEach
  void close() {
    if (guard != null) {
      guard.close();
    }
  }

  @Test
  void withNothingToWatchTheSamplerGoesIdle() {
    assertTrue(eventually(guard::isIdle), "the sampler kept sampling with nothing watched");
  }

  @Test
  void anActivationWatchedWhileTheSamplerIsIdleIsSampledAtOnce() {
    assertTrue(eventually(guard::isIdle), "the sampler did not go idle");
    Execution execution = new Execution();
    ExecutionGuard.Watch watch = guard.watch(execution);

    assertTrue(eventually(() -> execution.readings.get() > 0), "the activation watched was never sampled");
    assertFalse(guard.isIdle(), "the sampler is idle while an activation is watched");
    watch.close();
    assertTrue(eventually(guard::isIdle), "the sampler did not go idle again once the watch closed");
  }

  private static boolean eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() - deadline < 0) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** An execution that allocates nothing; the guard's readings of it are counted. */
  private static final class Execution implements ExecutionGuard.GuardedExecution {
    final Thread thread = Thread.currentThread();
    final AtomicInteger readings = new AtomicInteger();
    volatile Termination termination;

    @Override
    public Thread thread() {
      return thread;
    }

    @Override
    public InvocationInfo info() {
      return new InvocationInfo("act", "req", "acme", "default", "fn", 1, "http", null);
    }

    @Override
    public ExecutionLimits limits() {
      return ExecutionLimits.DEFAULTS;
    }

    @Override
    public long allocatedBytes() {
      readings.incrementAndGet();
      return 0;
    }

    @Override
    public long timeoutMs() {
      return 60_000;
    }

    @Override
    public long startNanos() {
      return 0;
    }

    @Override
    public long deadlineNanos() {
      return Long.MAX_VALUE;
    }

    @Override
    public boolean isDone() {
      return termination != null;
    }

    @Override
    public synchronized boolean terminate(Termination ended) {
      if (termination != null) {
        return false;
      }
      termination = ended;
      return true;
    }
  }
}
