package io.codesous.runtime;

import static io.codesous.runtime.Results.assertRuntimeError;
import static io.codesous.runtime.Results.assertSuccessBody;
import static io.codesous.runtime.Results.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runaway guests end as TIMEOUT and give the thread back; the hang guards only keep a broken build from hanging. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TimeoutTest {

  private static final long TIMEOUT_MS = 300;

  private static JsRuntime runtime;

  @BeforeAll
  static void startRuntime() {
    runtime = new JsRuntime(new RuntimeOptions());
    // Warm the engine so that the short budgets below are spent in the guest code under test.
    assertSuccessBody(runtime.execute(TestRequest.handler("return {statusCode: 200};").build()));
  }

  @AfterAll
  static void closeRuntime() {
    runtime.close();
  }

  private static ExecutionResult runWithShortTimeout(TestRequest request) {
    return runtime.execute(request.timeoutMs(TIMEOUT_MS).build());
  }

  @Test
  void infiniteLoopTimesOutAndTheThreadIsFreed() {
    ExecutionResult result = runWithShortTimeout(TestRequest.handler("while (true) {}"));

    assertTimeout(result, TIMEOUT_MS);
    assertFalse(Thread.currentThread().isInterrupted());
    // The same thread and runtime go on to run the next activation normally.
    assertEquals("next", assertSuccessBody(
        runtime.execute(TestRequest.handler("return {statusCode: 200, body: 'next'};").build())));
  }

  @Test
  void infiniteLoopOnAPoolThreadReturns() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<ExecutionResult> result = pool.submit(() -> runWithShortTimeout(
          TestRequest.handler("for (;;) { Math.random(); }")));

      assertTimeout(result.get(), TIMEOUT_MS);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void loopInModuleTopLevelTimesOut() {
    // Top-level code runs under the init budget (limits.initTimeoutMs), not the handler's timeout.
    ExecutionResult result = runtime.execute(TestRequest.entry(
        "while (true) {}\nexport const handler = () => ({statusCode: 200});").initTimeoutMs(TIMEOUT_MS).build());

    assertEquals(ExecutionStatus.TIMEOUT, result.status());
    assertEquals(ErrorCodes.CS_TIMEOUT, result.errorCode());
    assertEquals("module evaluation exceeded its " + TIMEOUT_MS + " ms init budget (limits.initTimeoutMs)",
        result.errorMessage());
  }

  @Test
  void loopInAPromiseCallbackTimesOut() {
    ExecutionResult result = runWithShortTimeout(TestRequest.entry("""
        export async function handler() {
          await null;
          while (true) {}
        }
        """));

    assertTimeout(result, TIMEOUT_MS);
  }

  @Test
  void loopThatCatchesEverythingStillTimesOut() {
    ExecutionResult result = runWithShortTimeout(TestRequest.handler(
        "while (true) { try { while (true) {} } catch (e) { /* keep going */ } finally { continue; } }"));

    assertTimeout(result, TIMEOUT_MS);
  }

  @Test
  void neverSettlingPromiseTimesOut() {
    ExecutionResult result = runWithShortTimeout(TestRequest.handler("return new Promise(() => {});"));

    assertTimeout(result, TIMEOUT_MS);
  }

  @Test
  void logsWrittenBeforeTheTimeoutAreKept() {
    ExecutionResult result = runWithShortTimeout(TestRequest.handler(
        "console.log('about to spin'); while (true) {}"));

    assertTimeout(result, TIMEOUT_MS);
    assertEquals(List.of("about to spin"), result.logs().stream().map(LogEntry::message).toList());
  }

  @Test
  void remainingTimeShrinksTowardsTheDeadline() {
    ExecutionResult result = runtime.execute(TestRequest.handler("""
            const first = ctx.remainingMs();
            const until = Date.now() + 20;
            while (Date.now() < until) {}
            const second = ctx.remainingMs();
            return {statusCode: 200, body: String(first > second && second >= 0 && first <= 10000)};
            """)
        .timeoutMs(10_000).build());

    assertEquals("true", assertSuccessBody(result));
  }

  @Test
  void unboundedRecursionIsARangeError() {
    ExecutionResult result = runtime.execute(TestRequest.handler(
        "function down(n) { return down(n + 1) + 1; } return down(0);").build());

    assertRuntimeError(result, "RangeError");
    assertTrue(result.errorStack().contains("at down (index.mjs:"), result.errorStack());
  }

  @Test
  void unboundedAsyncRecursionIsAnError() {
    ExecutionResult result = runtime.execute(TestRequest.entry("""
        async function down(n) { return await down(n + 1); }
        export const handler = () => down(0);
        """).build());

    assertRuntimeError(result, "RangeError");
  }
}
