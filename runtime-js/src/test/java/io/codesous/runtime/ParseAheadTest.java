package io.codesous.runtime;

import static io.codesous.runtime.Results.assertRuntimeError;
import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bundle's entry module parsed into the shared engine before any version of it runs ({@link JsRuntime#parseAhead}):
 * its activations use that parse, nothing of it runs, and a module that does not parse is left to its activations.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ParseAheadTest {

  private static final ExecutionLimits LIMITS = ExecutionLimits.DEFAULTS;

  private JsRuntime runtime;

  @BeforeEach
  void startRuntime() {
    runtime = new JsRuntime(new RuntimeOptions());
  }

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  @Test
  void anEntryParsedAheadIsHeldByTheEngineBeforeAnyActivation() {
    TestRequest bundle = TestRequest.handler("return {statusCode: 200, body: 'ahead'};").bundleId("sha-ahead");
    ExecutionRequest request = bundle.build();
    assertFalse(runtime.engineHoldsEntry("sha-ahead", "index.mjs"));

    assertTrue(runtime.parseAhead("sha-ahead", request.files(), request.entry(), LIMITS));

    assertTrue(runtime.engineHoldsEntry("sha-ahead", "index.mjs"));
    // no activation asked for it
    assertEquals(new SourceCacheStats(0, 0), runtime.sourceCacheStats());
  }

  @Test
  void theFirstActivationOfTheBundleRunsTheSourceParsedAhead() {
    ExecutionRequest request = TestRequest.handler("return {statusCode: 200, body: 'ran'};").bundleId("sha-run")
        .build();
    runtime.parseAhead("sha-run", request.files(), "./index.mjs", LIMITS);

    assertEquals("ran", assertSuccessBody(runtime.execute(request)));

    // the activation found the entry module the parse left
    assertEquals(new SourceCacheStats(1, 0), runtime.sourceCacheStats());
  }

  @Test
  void parsingAheadRunsNoneOfTheModule() {
    ExecutionRequest request = TestRequest.entry("""
        globalThis.evaluations = (globalThis.evaluations ?? 0) + 1;
        console.log('top level ran');
        export function handler() {
          return { statusCode: 200, body: 'evaluated ' + globalThis.evaluations };
        }
        """).bundleId("sha-quiet").build();

    assertTrue(runtime.parseAhead("sha-quiet", request.files(), request.entry(), LIMITS));
    ExecutionResult result = runtime.execute(request);

    assertEquals("evaluated 1", assertSuccessBody(result));
    assertEquals(1, result.logs().size(), result.logs().toString());
  }

  @Test
  void anEntryThatDoesNotParseIsLeftForItsActivationToReport() {
    ExecutionRequest request = TestRequest.entry("export function handler( {\n").bundleId("sha-broken").build();

    assertFalse(runtime.parseAhead("sha-broken", request.files(), request.entry(), LIMITS));

    assertRuntimeError(runtime.execute(request), "SyntaxError");
  }

  @Test
  void anEntryThatIsNotInTheBundleIsNotParsed() {
    ExecutionRequest request = TestRequest.handler("return {statusCode: 200};").bundleId("sha-missing").build();

    assertFalse(runtime.parseAhead("sha-missing", request.files(), "main.mjs", LIMITS));
    assertFalse(runtime.parseAhead("sha-missing", request.files(), "../index.mjs", LIMITS));
    assertFalse(runtime.engineHoldsEntry("sha-missing", "index.mjs"));
  }
}
