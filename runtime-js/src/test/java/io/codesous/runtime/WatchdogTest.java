package io.codesous.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchdogTest {

  private final Watchdog watchdog = new Watchdog(60_000);
  /** The executions terminated, in the order the watchdog terminated them. */
  private final List<String> terminated = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    watchdog.close();
  }

  @Test
  void executionsAreTerminatedInDeadlineOrderAndNoneBeforeItsDeadline() throws Exception {
    Execution late = new Execution("late", 600);
    Execution early = new Execution("early", 150);
    Execution middle = new Execution("middle", 300);
    watchdog.watch(late);
    watchdog.watch(early);
    watchdog.watch(middle);

    for (Execution execution : List.of(late, early, middle)) {
      assertTrue(execution.ended.await(20, TimeUnit.SECONDS), execution.name + " was not terminated");
      assertTrue(execution.terminatedAtNanos - execution.deadlineNanos >= 0,
          execution.name + " was terminated before its deadline");
      assertEquals(Termination.timeout(execution.timeoutMs()), execution.termination);
    }
    assertEquals(List.of("early", "middle", "late"), terminated);
  }

  @Test
  void aClosedWatchIsNeverTerminatedAndLeavesTheOthersTheirDeadlines() throws Exception {
    Execution closedEarly = new Execution("closed", 100);
    Execution kept = new Execution("kept", 300);
    ExecutionGuard.Watch watch = watchdog.watch(closedEarly);
    watchdog.watch(kept);
    watch.close();

    assertTrue(kept.ended.await(20, TimeUnit.SECONDS), "the watch still open was not terminated");
    // the closed one's deadline passed 200 ms before the other's
    assertFalse(closedEarly.ended.await(200, TimeUnit.MILLISECONDS), "a closed watch was terminated");
    assertEquals(List.of("kept"), terminated);
  }

  @Test
  void aSoonerDeadlineWakesAWatchdogSleepingUntilALaterOne() throws Exception {
    watchdog.watch(new Execution("far", 120_000));
    // let the thread go to sleep until the far deadline
    Thread.sleep(100);
    Execution soon = new Execution("soon", 100);
    watchdog.watch(soon);

    assertTrue(soon.ended.await(20, TimeUnit.SECONDS), "the sooner deadline was not kept");
    assertEquals(List.of("soon"), terminated);
  }

  @Test
  void aDeadlineMovedSoonerIsKeptAtItsNewTime() throws Exception {
    watchdog.watch(new Execution("far", 120_000));
    Execution moved = new Execution("moved", 120_000);
    ExecutionGuard.Watch watch = watchdog.watch(moved);
    Thread.sleep(100);
    moved.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    watch.deadlineMoved();

    assertTrue(moved.ended.await(20, TimeUnit.SECONDS), "the moved deadline was not kept");
    assertTrue(moved.terminatedAtNanos - moved.deadlineNanos >= 0, "terminated before its moved deadline");
    assertEquals(List.of("moved"), terminated);
  }

  @Test
  void aDeadlineMovedLaterIsNotKeptAtItsOldTime() throws Exception {
    Execution moved = new Execution("moved", 100);
    ExecutionGuard.Watch watch = watchdog.watch(moved);
    moved.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
    watch.deadlineMoved();

    assertFalse(moved.ended.await(300, TimeUnit.MILLISECONDS), "terminated at the deadline it moved from");
    assertTrue(moved.ended.await(20, TimeUnit.SECONDS), "the moved deadline was not kept");
    assertTrue(moved.terminatedAtNanos - moved.deadlineNanos >= 0, "terminated before its moved deadline");
  }

  @Test
  void aDeadlineMovedLaterJustAfterItWasFoundDueIsKeptAtItsNewTime() throws Exception {
    // the first look finds the budget of the module's evaluation run out; by the time the watchdog acts, the
    // handler's budget has begun
    long movedTo = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
    Execution moved = new Execution("moved", 0) {
      /** Reads of the deadline so far: the watch's own and the watchdog's look see the first one. */
      private int reads;

      @Override
      public synchronized long deadlineNanos() {
        return ++reads <= 2 ? startNanos : movedTo;
      }
    };
    watchdog.watch(moved);

    assertTrue(moved.ended.await(20, TimeUnit.SECONDS), "the moved deadline was not kept");
    assertTrue(moved.terminatedAtNanos - movedTo >= 0, "terminated at the deadline it moved from");
    assertEquals(List.of("moved"), terminated);
  }

  @Test
  void manyExecutionsOneAfterAnotherAreEachTerminatedOnce() throws Exception {
    int count = 200;
    CountDownLatch all = new CountDownLatch(count);
    for (int i = 0; i < count; i++) {
      Execution execution = new Execution("e" + i, 50 + i % 7 * 20) {
        @Override
        public boolean terminate(Termination termination) {
          boolean first = super.terminate(termination);
          all.countDown();
          return first;
        }
      };
      watchdog.watch(execution);
    }
    assertTrue(all.await(20, TimeUnit.SECONDS), "not every execution was terminated");
    Thread.sleep(100);
    assertEquals(count, terminated.size(), "an execution was terminated twice: " + terminated);
  }

  @Test
  void watchesThatEndBeforeTheirDeadlinesDoNotWakeTheWatchdog() throws Exception {
    watchdog.watch(new Execution("first", 60_000));
    // let the thread go to sleep until the first deadline
    Thread.sleep(200);
    long before = watchdog.wakeUps();
    for (int i = 0; i < 1000; i++) {
      watchdog.watch(new Execution("e" + i, 60_000)).close();
    }
    Thread.sleep(200);

    assertEquals(before, watchdog.wakeUps(), "activations that ended in time woke the watchdog");
    assertEquals(List.of(), terminated);
  }

  @Test
  void aClosedWatchdogRefusesToWatch() {
    watchdog.close();
    assertThrows(IllegalStateException.class, () -> watchdog.watch(new Execution("after", 100)));
  }

  /** An execution that never ends by itself; the watchdog's termination is what ends it. */
  private class Execution implements ExecutionGuard.GuardedExecution {
    final String name;
    final long timeoutMs;
    final long startNanos = System.nanoTime();
    volatile long deadlineNanos;
    final CountDownLatch ended = new CountDownLatch(1);
    volatile long terminatedAtNanos;
    volatile Termination termination;

    Execution(String name, long timeoutMs) {
      this.name = name;
      this.timeoutMs = timeoutMs;
      this.deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    @Override
    public Thread thread() {
      return Thread.currentThread();
    }

    @Override
    public InvocationInfo info() {
      return new InvocationInfo(name, "req", "acme", "default", "fn", 1, "http", null);
    }

    @Override
    public ExecutionLimits limits() {
      throw new UnsupportedOperationException("the watchdog reads only the deadline");
    }

    @Override
    public long allocatedBytes() {
      return 0;
    }

    @Override
    public long timeoutMs() {
      return timeoutMs;
    }

    @Override
    public long startNanos() {
      return startNanos;
    }

    @Override
    public long deadlineNanos() {
      return deadlineNanos;
    }

    @Override
    public boolean isDone() {
      return ended.getCount() == 0;
    }

    @Override
    public synchronized boolean terminate(Termination termination) {
      terminatedAtNanos = System.nanoTime();
      terminated.add(name);
      if (this.termination != null) {
        return false;
      }
      this.termination = termination;
      ended.countDown();
      return true;
    }
  }
}
