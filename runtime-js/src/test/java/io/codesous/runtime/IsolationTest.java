package io.codesous.runtime;

import static io.codesous.runtime.Results.assertRuntimeError;
import static io.codesous.runtime.Results.assertSuccessBody;
import static io.codesous.runtime.Results.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Strict activations never share a context, prewarmed or not; warm ones share one only with earlier activations of
 * the same version, one at a time.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class IsolationTest {

  /** Counts its activations in a global, and its module evaluations in another. */
  private static final String COUNTER = """
      globalThis.evaluations = (globalThis.evaluations ?? 0) + 1;
      console.log('module evaluated');
      export function handler(event) {
        globalThis.count = (globalThis.count ?? 0) + 1;
        if (event.fail) throw new Error('failing on purpose');
        if (event.spin) while (true) {}
        if (event.garbage) { for (let i = 0; i < 20; i++) new Uint8Array(256 * 1024); }
        if (event.hoard) { const kept = []; for (;;) kept.push(new Uint8Array(1 << 20)); }
        return {statusCode: 200, body: globalThis.count + '/' + globalThis.evaluations};
      }
      """;

  private static TestRequest counter(String bundleId) {
    return TestRequest.entry(COUNTER).bundleId(bundleId);
  }

  private static InvocationInfo info(String tenant, long version) {
    return new InvocationInfo("act", "req", tenant, "default", "counter", version, "http", null);
  }

  @Test
  void prewarmedContextsAreReadyForAHotBundleAndStillServeOneActivationEach() throws Exception {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions().setPrewarmContexts(2))) {
      for (int i = 0; i < 3; i++) {
        ExecutionResult result = runtime.execute(counter("hot").build());
        // A fresh context every time: module evaluated inside this activation, globals start over.
        assertEquals("1/1", assertSuccessBody(result));
        assertEquals(List.of("module evaluated"), result.logs().stream().map(LogEntry::message).toList());
      }
      awaitCondition(() -> runtime.readyContexts() == 2);
      ExecutionResult prewarmed = runtime.execute(counter("hot").build());
      assertEquals("1/1", assertSuccessBody(prewarmed));
      assertEquals(List.of("module evaluated"), prewarmed.logs().stream().map(LogEntry::message).toList());
    }
  }

  @Test
  void aBundleUsedOnceIsNotPrewarmed() throws Exception {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions().setPrewarmContexts(2))) {
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("once").build())));
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("twice").build())));
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("twice").build())));
      awaitCondition(() -> runtime.readyContexts() == 2);
      // Only the bundle used twice got contexts.
      assertEquals(2, runtime.readyContexts());
    }
  }

  @Test
  void prewarmedContextsStayWithinTheirBundleLimit() throws Exception {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions().setPrewarmContexts(1).setPrewarmBundles(2))) {
      for (String bundle : List.of("a", "b", "c")) {
        runtime.execute(counter(bundle).build());
        runtime.execute(counter(bundle).build());
      }
      awaitCondition(() -> runtime.readyContexts() == 2);
      assertEquals(2, runtime.readyContexts());
    }
  }

  @Test
  void warmActivationsOfOneVersionShareTheirContext() {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions())) {
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("warm").warm().build())));
      ExecutionResult second = runtime.execute(counter("warm").warm().build());
      assertEquals("2/1", assertSuccessBody(second));
      // The module is not evaluated again, so its top-level log is not repeated.
      assertEquals(List.of(), second.logs());
      assertEquals("3/1", assertSuccessBody(runtime.execute(counter("warm").warm().build())));
      assertEquals(1, runtime.idleWarmContexts());
    }
  }

  @Test
  void warmContextsAreNeverSharedAcrossVersionsTenantsOrStrictActivations() {
    // no heap pressure: with it, each context given back evicts the longest idle ones, and the first version's
    // context went before its third activation whenever the suite's earlier tests had filled this JVM's heap
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions(), List.of(), () -> false)) {
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("same").warm().info(info("acme", 1)).build())));
      assertEquals("2/1", assertSuccessBody(runtime.execute(counter("same").warm().info(info("acme", 1)).build())));
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("same").warm().info(info("acme", 2)).build())));
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("same").warm().info(info("other", 1)).build())));
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("same").info(info("acme", 1)).build())));
      assertEquals("3/1", assertSuccessBody(runtime.execute(counter("same").warm().info(info("acme", 1)).build())));
    }
  }

  @Test
  void aWarmContextIsDiscardedAfterAnError() {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions())) {
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("errors").warm().build())));
      assertRuntimeError(runtime.execute(counter("errors").warm().event("{\"fail\":true}").build()),
          "failing on purpose");
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("errors").warm().build())));
    }
  }

  @Test
  void aWarmContextIsDiscardedAfterATimeout() {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions())) {
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("spins").warm().build())));
      assertTimeout(runtime.execute(counter("spins").warm().event("{\"spin\":true}").timeoutMs(300).build()), 300);
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("spins").warm().build())));
      assertEquals(1, runtime.idleWarmContexts());
    }
  }

  @Test
  void aWarmContextIsDiscardedAfterItsMemoryLimit() {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions())) {
      long budget = 32L * 1024 * 1024;
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("hoards").warm().memoryBytes(budget).build())));
      ExecutionResult breach = runtime.execute(counter("hoards").warm().event("{\"hoard\":true}")
          .memoryBytes(budget).build());
      assertEquals(ExecutionStatus.MEMORY_LIMIT, breach.status(), () -> Results.describe(breach));
      // The context that breached its budget is gone: the next activation evaluates the module afresh.
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("hoards").warm().memoryBytes(budget).build())));
      assertEquals(1, runtime.idleWarmContexts());
    }
  }

  @Test
  void aWarmContextIsRetiredAfterItsMaximumUses() {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions().setWarmMaxUses(2))) {
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("uses").warm().build())));
      assertEquals("2/1", assertSuccessBody(runtime.execute(counter("uses").warm().build())));
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("uses").warm().build())));
    }
  }

  @Test
  void aWarmContextIsRetiredOnceItsActivationsAllocatedItsBudget() {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions())) {
      // Each activation allocates about 5 MiB of garbage against a 16 MiB budget.
      String[] bodies = new String[6];
      for (int i = 0; i < bodies.length; i++) {
        bodies[i] = assertSuccessBody(runtime.execute(counter("allocating").warm().event("{\"garbage\":true}")
            .memoryBytes(16L * 1024 * 1024).build()));
      }
      assertEquals("1/1", bodies[0]);
      assertEquals("2/1", bodies[1]);
      assertTrue(List.of(bodies).subList(2, bodies.length).contains("1/1"), () -> String.join(" ", bodies));
    }
  }

  @Test
  void aFullPoolKeepsTheContextsUsedMostRecently() {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions().setWarmMaxIdle(2))) {
      for (String version : new String[] {"a", "b", "c"}) {
        assertEquals("1/1", assertSuccessBody(runtime.execute(counter(version).warm().build())));
      }
      assertEquals(2, runtime.idleWarmContexts());
      // c came back to a full pool: a, idle longest, made way for it
      assertEquals("2/1", assertSuccessBody(runtime.execute(counter("c").warm().build())));
      assertEquals("2/1", assertSuccessBody(runtime.execute(counter("b").warm().build())));
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("a").warm().build())));
      // and a's new context took the place of c, now idle longest
      assertEquals("3/1", assertSuccessBody(runtime.execute(counter("b").warm().build())));
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("c").warm().build())));
    }
  }

  @Test
  void idleWarmContextsMakeRoomWhileLiveDataFillsTheHeap() {
    AtomicBoolean heapFull = new AtomicBoolean();
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions(), List.of(), heapFull::get)) {
      for (String version : new String[] {"a", "b", "c", "d"}) {
        assertEquals("1/1", assertSuccessBody(runtime.execute(counter(version).warm().build())));
      }
      assertEquals(4, runtime.idleWarmContexts());
      heapFull.set(true);
      // d comes back and sends a and b, idle longest, away: the pool shrinks by one, from the three left when d
      // was taken to the two of c and d
      assertEquals("2/1", assertSuccessBody(runtime.execute(counter("d").warm().build())));
      assertEquals(2, runtime.idleWarmContexts());
      heapFull.set(false);
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("a").warm().build())));
      assertEquals("2/1", assertSuccessBody(runtime.execute(counter("c").warm().build())));
      assertEquals("3/1", assertSuccessBody(runtime.execute(counter("d").warm().build())));
      assertEquals(3, runtime.idleWarmContexts(), "without pressure the pool grows again");
    }
  }

  @Test
  void aWarmContextIdleTooLongIsClosed() throws Exception {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions().setWarmIdleMs(50))) {
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("idle").warm().build())));
      awaitCondition(() -> runtime.idleWarmContexts() == 0);
      assertEquals("1/1", assertSuccessBody(runtime.execute(counter("idle").warm().build())));
    }
  }

  @Test
  void concurrentWarmActivationsGetContextsOfTheirOwn() throws Exception {
    CountDownLatch bothRunning = new CountDownLatch(2);
    HostBindings rendezvous = new HostBindingsTest.FakeBindings() {
      @Override
      public CompletionStage<String> kvGet(String key) {
        bothRunning.countDown();
        return CompletableFuture.supplyAsync(() -> {
          try {
            bothRunning.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return key;
        });
      }
    };
    String source = """
        export async function handler() {
          globalThis.count = (globalThis.count ?? 0) + 1;
          const mine = globalThis.count;
          await cs.kv.get('k');
          return {statusCode: 200, body: mine + '/' + globalThis.count};
        }
        """;
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions())) {
      CompletableFuture<ExecutionResult> first = CompletableFuture.supplyAsync(() -> runtime.execute(
          TestRequest.entry(source).bundleId("parallel").warm().bindings(rendezvous).build()));
      CompletableFuture<ExecutionResult> second = CompletableFuture.supplyAsync(() -> runtime.execute(
          TestRequest.entry(source).bundleId("parallel").warm().bindings(rendezvous).build()));

      assertEquals("1/1", assertSuccessBody(first.get()));
      assertEquals("1/1", assertSuccessBody(second.get()));
      assertEquals(2, runtime.idleWarmContexts());
    }
  }

  private interface Condition {
    boolean holds();
  }

  /** Waits for background work to reach a state; the bound only keeps a broken build from hanging. */
  private static void awaitCondition(Condition condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.holds() && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertTrue(condition.holds(), "the condition never held");
  }
}
