package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Contexts whose module was evaluated ahead of the activation ({@link ModulePreparation}): they serve one activation
 * each, never another version's or tenant's, and a module that cannot be prepared is evaluated by its activations.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PreparedModulesTest {

  private JsRuntime runtime;

  @BeforeEach
  void startRuntime() {
    runtime = new JsRuntime(new RuntimeOptions());
  }

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  /** Waits until the runtime holds {@code count} ready contexts. */
  private void awaitReady(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (runtime.readyContexts() < count) {
      assertTrue(System.nanoTime() < deadline, "contexts were not prepared in time: " + runtime.readyContexts());
      Thread.sleep(10);
    }
  }

  private static final String SLOW_MODULE = """
      console.log('module evaluated');
      const until = Date.now() + 40;
      while (Date.now() < until) {}
      let calls = 0;
      export function handler() {
        calls++;
        return { statusCode: 200, body: 'calls ' + calls };
      }
      """;

  @Test
  void anAnnouncedVersionsFirstActivationFindsItsModuleEvaluated() throws InterruptedException {
    TestRequest request = TestRequest.entry(SLOW_MODULE);
    runtime.prepare(request.build());
    awaitReady(1);

    ExecutionResult result = runtime.execute(request.build());

    assertEquals("calls 1", assertSuccessBody(result));
    assertEquals(0, result.initMs());
    // What the module logged while it was prepared is the activation's, as if it had evaluated it itself.
    assertEquals("module evaluated", result.logs().get(0).message());
  }

  @Test
  void aPreparedModulesTopLevelReadsTheManifestEnvFromProcessEnv() throws InterruptedException {
    TestRequest request = TestRequest.entry("""
            const table = process.env.TABLE;
            export function handler() {
              return { statusCode: 200, body: table + ' ' + process.env.REGION };
            }
            """)
        .env(Map.of("TABLE", "orders", "REGION", "eu"));
    runtime.prepare(request.build());
    awaitReady(1);

    ExecutionResult result = runtime.execute(request.build());

    assertEquals("orders eu", assertSuccessBody(result));
    assertEquals(0, result.initMs());
  }

  @Test
  void aContextPreparedWithOtherEnvValuesDoesNotServeTheVersion() throws InterruptedException {
    TestRequest request = TestRequest.entry("""
        const table = process.env.TABLE;
        export function handler() {
          return { statusCode: 200, body: String(table) };
        }
        """);
    runtime.prepare(request.env(Map.of("TABLE", "before")).build());
    awaitReady(1);

    ExecutionResult result = runtime.execute(request.env(Map.of("TABLE", "after")).build());

    assertEquals("after", assertSuccessBody(result));
    assertEquals(1, runtime.readyContexts(), "the context prepared with the other values waits for its own");
  }

  @Test
  void aVersionAnnouncedUnderAnotherTriggerTypeServesItsFirstActivationFromThePreparedContext()
      throws InterruptedException {
    // The invoker announces a published version with a request of its own, whose trigger type is "prepare"; the
    // version's activations arrive as http, schedule or cadence. A prepared context has begun no activation, so it
    // must serve whichever comes first rather than wait in the pool under a key no activation asks for.
    InvocationInfo http = TestRequest.INFO;
    InvocationInfo announcement = new InvocationInfo("prepare", "prepare", http.tenant(), http.namespace(),
        http.function(), http.version(), "prepare", null);
    TestRequest request = TestRequest.entry(SLOW_MODULE);
    runtime.prepare(request.info(announcement).build());
    awaitReady(1);

    ExecutionResult result = runtime.execute(request.info(http).build());

    assertEquals("calls 1", assertSuccessBody(result));
    assertEquals(ContextStart.PREWARMED, result.start());
    assertEquals(0, result.initMs(), "the module was evaluated when the version was announced");
  }

  @Test
  void anAnnouncedVersionKeepsOneContextReadyUntilItsFirstActivationHasEnded() throws InterruptedException {
    TestRequest request = TestRequest.entry(SLOW_MODULE);
    runtime.prepare(request.build());
    awaitReady(1);
    // A version published and never invoked costs one evaluation, and its first activation runs beside no other.
    assertEquals(1, runtime.readyContexts());

    assertEquals("calls 1", assertSuccessBody(runtime.execute(request.build())));

    // Once it has ended, the pool fills up to its depth for the activations that follow.
    awaitReady(RuntimeOptions.DEFAULT_PREWARM_CONTEXTS);
  }

  @Test
  void anActivationArrivingWhileItsVersionIsPreparedWaitsForThePreparedModule() {
    TestRequest request = TestRequest.entry("""
        console.log('module evaluated');
        const until = Date.now() + 400;
        while (Date.now() < until) {}
        export function handler() {
          return { statusCode: 200, body: 'ok' };
        }
        """);
    runtime.prepare(request.build());

    // No wait for the pool: the activation arrives while the module is still being evaluated in the background.
    ExecutionResult result = runtime.execute(request.build());

    assertEquals("ok", assertSuccessBody(result));
    // It took the prepared context instead of evaluating the module a second time itself, and reports the time it
    // waited for that evaluation as its own module evaluation: its init_ms is not 0, as it would be had it found
    // the module evaluated.
    assertEquals(ContextStart.PREWARMED, result.start());
    assertTrue(result.initMs() > 0, "init_ms " + result.initMs());
    assertEquals("module evaluated", result.logs().get(0).message());
  }

  @Test
  void everyStrictActivationGetsAContextOfItsOwn() throws InterruptedException {
    TestRequest request = TestRequest.entry(SLOW_MODULE);
    runtime.prepare(request.build());
    awaitReady(1);

    for (int i = 0; i < 6; i++) {
      assertEquals("calls 1", assertSuccessBody(runtime.execute(request.build())));
    }
  }

  @Test
  void preparedContextsAreNeverHandedToAnotherTenant() throws InterruptedException {
    TestRequest acme = TestRequest.entry(SLOW_MODULE).bundleId("same-bundle");
    runtime.prepare(acme.build());
    awaitReady(1);

    // Identical bundle content, other tenant: it must evaluate the module in a context of its own.
    ExecutionResult other = runtime.execute(TestRequest.entry(SLOW_MODULE).bundleId("same-bundle")
        .info(new InvocationInfo("act-9", "req-9", "globex", "default", "hello", 3, "http", null)).build());

    assertEquals("calls 1", assertSuccessBody(other));
    // the module spins until Date.now() passes 40 ms more, which a start late in a millisecond reaches after a little
    // over 39 ms, and init_ms is truncated to whole milliseconds
    assertTrue(other.initMs() >= 39, "evaluated by the activation: init_ms " + other.initMs());
    assertEquals(1, runtime.readyContexts());
  }

  @Test
  void aModuleThatReadsCsAtTopLevelIsEvaluatedByEachActivation() throws InterruptedException {
    HostBindingsTest.FakeBindings bindings = new HostBindingsTest.FakeBindings();
    bindings.kv.put("greeting", "hi");
    TestRequest request = TestRequest.entry("""
        const greeting = await cs.kv.get('greeting');
        export function handler() {
          return { statusCode: 200, body: greeting };
        }
        """).bindings(bindings);
    runtime.prepare(request.build());
    // Preparing fails (no cs before an activation); the pool falls back to parsed-only contexts.
    awaitReady(1);

    ExecutionResult result = runtime.execute(request.build());

    assertEquals("hi", assertSuccessBody(result));
  }

  @Test
  void aRunawayTopLevelIsStoppedWhilePreparedAndReportedByTheActivation() throws InterruptedException {
    TestRequest request = TestRequest.entry("""
        while (true) {}
        export function handler() {}
        """).initTimeoutMs(200);
    runtime.prepare(request.build());
    awaitReady(1);

    ExecutionResult result = runtime.execute(request.build());

    assertEquals(ExecutionStatus.TIMEOUT, result.status());
    assertEquals("module evaluation exceeded its 200 ms init budget (limits.initTimeoutMs)", result.errorMessage());
  }

  @Test
  void withPreparationOffReadyContextsOnlyParseTheModule() throws InterruptedException {
    runtime.close();
    runtime = new JsRuntime(new RuntimeOptions().setPrepareModules(false));
    TestRequest request = TestRequest.entry(SLOW_MODULE);
    runtime.prepare(request.build());
    awaitReady(1);

    ExecutionResult result = runtime.execute(request.build());

    assertEquals("calls 1", assertSuccessBody(result));
    assertTrue(result.initMs() >= 39, "init_ms " + result.initMs()); // see above: 40 ms by Date.now(), truncated
  }
}
