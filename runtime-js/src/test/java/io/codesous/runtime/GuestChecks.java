package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many checks of one function in one assertion: the function pushes {@code [name, actual, expected]} into {@code t}
 * and answers how many it pushed, followed by every mismatch, so a failure lists all of them at once.
 */
final class GuestChecks {

  private GuestChecks() {
  }

  /**
   * Runs {@code prelude} then {@code checks} as the body of an async handler.
   *
   * @param prelude helpers the checks use, declared before them
   */
  static void assertChecks(JsRuntime runtime, String prelude, String checks, int expectedCount) {
    assertChecks(runtime, prelude, checks, expectedCount, ExecutionLimits.DEFAULTS.memoryBytes());
  }

  /** {@link #assertChecks(JsRuntime, String, String, int)} with a memory budget of {@code memoryBytes}. */
  static void assertChecks(JsRuntime runtime, String prelude, String checks, int expectedCount, long memoryBytes) {
    String body = assertSuccessBody(runtime.execute(TestRequest.asyncHandler("const t = [];\n" + prelude + checks
        + """

        const bad = t.filter(([, actual, expected]) => actual !== expected)
            .map(([name, actual, expected]) => name + ': got ' + JSON.stringify(actual) + ', want '
                + JSON.stringify(expected));
        return {statusCode: 200, body: t.length + (bad.length ? '\\n' + bad.join('\\n') : '')};
        """).event("{}").memoryBytes(memoryBytes).build()));
    assertEquals(String.valueOf(expectedCount), body);
  }
}
