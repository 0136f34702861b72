package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static io.codesous.runtime.Results.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Further guards plug in next to the watchdog; the hang guard only keeps a broken build from hanging. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ExecutionGuardTest {

  private static final Termination MEMORY_LIMIT = new Termination(ExecutionStatus.MEMORY_LIMIT,
      ErrorCodes.CS_MEMORY_LIMIT, "function exceeded its memory limit");

  /** Terminates every activation from its own thread, as a sampling memory guard would. */
  private static final class TerminatingGuard implements ExecutionGuard {
    final AtomicBoolean watchClosed = new AtomicBoolean();
    /** Off while the engine warms up, so the guarded run spends its time in the guest code. */
    volatile boolean armed;

    @Override
    public Watch watch(GuardedExecution execution) {
      if (!armed) {
        return () -> { };
      }
      CompletableFuture.runAsync(() -> execution.terminate(MEMORY_LIMIT),
          CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
      return () -> watchClosed.set(true);
    }
  }

  @Test
  void guardTerminationBecomesTheResultAndStopsTheGuest() {
    TerminatingGuard guard = new TerminatingGuard();
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions(), List.of(guard))) {
      assertSuccessBody(runtime.execute(TestRequest.handler("return {statusCode: 200, body: 'warm'};").build()));
      guard.armed = true;
      ExecutionResult result = runtime.execute(TestRequest.handler("""
          console.log('allocating');
          const hoard = [];
          while (true) {
            hoard.push({});
            if (hoard.length > 1e5) hoard.length = 0;
          }
          """).build());

      assertEquals(ExecutionStatus.MEMORY_LIMIT, result.status());
      assertEquals(ErrorCodes.CS_MEMORY_LIMIT, result.errorCode());
      assertEquals("function exceeded its memory limit", result.errorMessage());
      assertNull(result.responseJson());
      assertEquals(List.of("allocating"), result.logs().stream().map(LogEntry::message).toList());
      assertTrue(guard.watchClosed.get());
    }
  }

  @Test
  void terminationAfterTheEndHasNoEffect() {
    GuardedCapture capture = new GuardedCapture();
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions(), List.of(capture))) {
      ExecutionResult result = runtime.execute(TestRequest.handler("return {statusCode: 200, body: 'done'};")
          .build());

      assertEquals("done", assertSuccessBody(result));
      assertTrue(capture.execution.isDone());
      assertEquals(false, capture.execution.terminate(MEMORY_LIMIT));
    }
  }

  @Test
  void tasksPostedFromOtherThreadsRunOnTheExecutingThread() {
    GuardedCapture capture = new GuardedCapture();
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    ExecutionGuard poster = execution -> {
      CompletableFuture.runAsync(() -> ((Activation) execution).post(() -> ranOn.complete(Thread.currentThread())),
          CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
      return () -> { };
    };
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions(), List.of(capture, poster))) {
      ExecutionResult result = runtime.execute(TestRequest.handler("return new Promise(() => {});")
          .timeoutMs(1_000).build());

      assertTimeout(result, 1_000);
      assertSame(Thread.currentThread(), ranOn.getNow(null));
      assertSame(Thread.currentThread(), capture.execution.thread());
    }
  }

  /** Remembers the execution it watched. */
  private static final class GuardedCapture implements ExecutionGuard {
    volatile GuardedExecution execution;

    @Override
    public Watch watch(GuardedExecution watched) {
      this.execution = watched;
      return () -> { };
    }
  }
}
