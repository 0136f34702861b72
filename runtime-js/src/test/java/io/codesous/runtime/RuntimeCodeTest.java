package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Code compiled at run time ({@code eval}, the Function constructors) is bounded, because parsing cannot be
 * cancelled: past 256 Ki characters it is a RangeError, and a function that compiles code in a loop still ends at its
 * deadline.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RuntimeCodeTest {

  private static JsRuntime runtime;

  @BeforeAll
  static void startRuntime() {
    runtime = new JsRuntime(new RuntimeOptions());
    // Warm the parser (Java code the JVM compiles only after some use), so that the deadline test below measures
    // the bound on one compilation rather than a cold JVM.
    for (int i = 0; i < 3; i++) {
      runtime.execute(TestRequest.handler("new Function('x=1;'.repeat(65536)); return {statusCode: 200};").build());
    }
  }

  @AfterAll
  static void closeRuntime() {
    runtime.close();
  }

  private static String run(String body) {
    return assertSuccessBody(runtime.execute(TestRequest.handler(body).build()));
  }

  @Test
  void generatedCodeWithinTheLimitStillWorks() {
    assertEquals("3|2|true|true|true|true|6|function", run("""
        const add = new Function('a', 'b', 'return a + b');
        const results = [
          add(1, 2),
          eval('1 + 1'),
          Function('return this')() === globalThis,
          add instanceof Function,
          (function () {}).constructor === Function,
          Object.getPrototypeOf(async function () {}).constructor('return 1')() instanceof Promise,
          [...Object.getPrototypeOf(function* () {}).constructor('yield 1; yield 2; yield 3')()].reduce((a, b) => a + b),
          typeof eval,
        ];
        return { statusCode: 200, body: results.join('|') };
        """));
  }

  @Test
  void evalOfMoreThanTheLimitIsARangeErrorTheFunctionMayCatch() {
    assertEquals("RangeError: eval: code generated at run time is limited to 262144 characters, got 4194304",
        run("""
            try {
              eval('x=1;'.repeat(1024 * 1024));
              return { statusCode: 200, body: 'compiled' };
            } catch (e) {
              return { statusCode: 200, body: String(e) };
            }
            """));
  }

  @Test
  void everyFunctionConstructorCountsItsParametersAndBodyTogether() {
    assertEquals("Function|AsyncFunction|GeneratorFunction|AsyncGeneratorFunction", run("""
        const half = 'x;'.repeat(64 * 1024);
        const constructors = [Function, Object.getPrototypeOf(async function () {}).constructor,
          Object.getPrototypeOf(function* () {}).constructor, Object.getPrototypeOf(async function* () {}).constructor];
        const refused = constructors.map((C) => {
          try {
            new C('a', half, half);
            return 'compiled';
          } catch (e) {
            return e instanceof RangeError ? e.message.split(':')[0] : String(e);
          }
        });
        return { statusCode: 200, body: refused.join('|') };
        """));
  }

  @Test
  void directEvalSeesTheGlobalScopeOnly() {
    assertEquals("global", run("""
        globalThis.where = 'global';
        const where = 'local';
        return { statusCode: 200, body: eval('where') };
        """));
  }

  @Test
  void aFunctionCompilingCodeInALoopEndsWithinTwiceItsTimeout() {
    long timeoutMs = 1_000;
    long began = System.nanoTime();
    ExecutionResult result = runtime.execute(TestRequest.handler("""
        const largest = 'x=1;'.repeat(65536);
        const tooLarge = 'x=1;'.repeat(4 * 1024 * 1024);
        for (;;) {
          new Function(largest);
          try { eval(tooLarge); } catch (e) {}
          try { new Function(tooLarge); } catch (e) {}
        }
        """).timeoutMs(timeoutMs).build());
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

    assertEquals(ExecutionStatus.TIMEOUT, result.status());
    assertTrue(tookMs < 2 * timeoutMs, "ended " + tookMs + " ms after it began, timeout " + timeoutMs + " ms");
  }
}
