package io.codesous.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The handler runs only after its module has been evaluated, top-level {@code await} included, and module evaluation
 * has a budget of its own ({@code initTimeoutMs}), reported as {@link ExecutionResult#initMs()}.
 */
class ModuleEvaluationTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  private static String body(ExecutionResult result) {
    assertEquals(ExecutionStatus.SUCCESS, result.status(), () -> result.errorMessage());
    Matcher body = Pattern.compile("\"body\":\"([^\"]*)\"").matcher(result.responseJson());
    assertTrue(body.find(), result.responseJson());
    return body.group(1);
  }

  @Test
  void theHandlerSeesStateThatTheModuleAwaitedAtTopLevel() {
    HostBindingsTest.FakeBindings bindings = new HostBindingsTest.FakeBindings();
    bindings.kv.put("config", "loaded");
    ExecutionResult result = runtime.execute(TestRequest.entry("""
        const config = await cs.kv.get('config');
        const settled = await new Promise((resolve) => Promise.resolve().then(() => resolve(config + '!')));
        export function handler() {
          return { statusCode: 200, body: String(settled) };
        }
        """).bindings(bindings).build());

    assertEquals("loaded!", body(result));
  }

  @Test
  void aModuleThatNeverFinishesLoadingEndsAsATimeoutOfItsInitBudget() {
    long began = System.nanoTime();
    ExecutionResult result = runtime.execute(TestRequest.entry("""
        await new Promise(() => {});
        export function handler() {
          return { statusCode: 200, body: 'must not run' };
        }
        """).initTimeoutMs(300).timeoutMs(10_000).build());
    long tookMs = (System.nanoTime() - began) / 1_000_000;

    assertEquals(ExecutionStatus.TIMEOUT, result.status());
    assertEquals(ErrorCodes.CS_TIMEOUT, result.errorCode());
    assertEquals("module evaluation exceeded its 300 ms init budget (limits.initTimeoutMs)", result.errorMessage());
    assertNull(result.responseJson());
    assertTrue(tookMs < 5_000, "ended by the init budget, not the handler's 10 s: " + tookMs + " ms");
  }

  @Test
  void aBusyTopLevelIsStoppedByTheInitBudget() {
    ExecutionResult result = runtime.execute(TestRequest.entry("""
        while (true) {}
        export function handler() {}
        """).initTimeoutMs(200).timeoutMs(10_000).build());

    assertEquals(ExecutionStatus.TIMEOUT, result.status());
    assertEquals("module evaluation exceeded its 200 ms init budget (limits.initTimeoutMs)", result.errorMessage());
  }

  @Test
  void aModuleFailingAfterTopLevelAwaitIsAnErrorWithItsOwnMessage() {
    HostBindingsTest.FakeBindings bindings = new HostBindingsTest.FakeBindings();
    ExecutionResult result = runtime.execute(TestRequest.entry("""
        await cs.kv.get('missing');
        throw new Error('configuration is missing');
        export function handler() {
          return { statusCode: 200, body: 'must not run' };
        }
        """).bindings(bindings).build());

    assertEquals(ExecutionStatus.ERROR, result.status());
    assertEquals(ErrorCodes.CS_RUNTIME_EXCEPTION, result.errorCode());
    assertTrue(result.errorMessage().contains("configuration is missing"), result.errorMessage());
  }

  @Test
  void moduleEvaluationIsCountedAgainstTheInitBudgetNotTheHandlersTimeout() {
    // Top-level work of about 400 ms under a handler timeout of 150 ms: only the init budget applies to it.
    ExecutionResult result = runtime.execute(TestRequest.entry("""
        const until = Date.now() + 400;
        while (Date.now() < until) {}
        export function handler() {
          return { statusCode: 200, body: 'ran' };
        }
        """).initTimeoutMs(5_000).timeoutMs(150).build());

    assertEquals("ran", body(result));
    assertTrue(result.initMs() >= 399, "init_ms " + result.initMs()); // 400 ms by Date.now(), truncated to ms
    assertTrue(result.durationMs() >= result.initMs(), "duration includes init");
  }

  @Test
  void theHandlersTimeoutStartsWhenModuleEvaluationEnds() {
    ExecutionResult result = runtime.execute(TestRequest.entry("""
        export function handler() {
          while (true) {}
        }
        """).initTimeoutMs(5_000).timeoutMs(200).build());

    assertEquals(ExecutionStatus.TIMEOUT, result.status());
    assertEquals("function exceeded its 200 ms timeout", result.errorMessage());
  }

  @Test
  void aWarmContextThatEvaluatedTheModuleReportsNoInitTime() {
    TestRequest request = TestRequest.entry("""
        const until = Date.now() + 50;
        while (Date.now() < until) {}
        export function handler() {
          return { statusCode: 200, body: 'warm' };
        }
        """).warm();
    ExecutionResult first = runtime.execute(request.build());
    ExecutionResult second = runtime.execute(request.build());

    assertEquals("warm", body(first));
    // 50 ms by Date.now(), which a start late in a millisecond reaches after a little over 49 ms; truncated to ms
    assertTrue(first.initMs() >= 49, "first init_ms " + first.initMs());
    assertEquals("warm", body(second));
    assertEquals(0, second.initMs());
  }

  @Test
  void aModuleMayExportItsHandlerAfterAnAwait() {
    ExecutionResult result = runtime.execute(TestRequest.entry("""
        const answer = await Promise.resolve(42);
        export default async function (event) {
          return { statusCode: 200, body: String(answer) };
        }
        """).build());

    assertEquals("42", body(result));
  }
}
