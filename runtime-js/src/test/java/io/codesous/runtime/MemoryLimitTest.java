package io.codesous.runtime;

import static io.codesous.runtime.Results.assertRuntimeError;
import static io.codesous.runtime.Results.assertSuccessBody;
import static io.codesous.runtime.Results.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The memory budget holds: allocation bombs that keep allocating end MEMORY_LIMIT at the budget, and those a cap
 * refuses outright end with the RangeError the function catches, while the JVM, and the functions running next to
 * them, carry on. The hang guard only keeps a broken build from hanging.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MemoryLimitTest {

  private static final long BUDGET = 32L * 1024 * 1024;
  private static final String REFUSED = "refused: RangeError";

  private static JsRuntime runtime;

  @BeforeAll
  static void startRuntime() {
    runtime = new JsRuntime(new RuntimeOptions());
    assertSuccessBody(runtime.execute(TestRequest.handler("return {statusCode: 200};").build()));
  }

  @AfterAll
  static void closeRuntime() {
    runtime.close();
  }

  private static ExecutionResult runWithBudget(String body) {
    return runtime.execute(TestRequest.handler(body).memoryBytes(BUDGET).build());
  }

  /** A handler that answers {@code refused: RangeError} when the bomb throws one, else lets it run. */
  private static String catching(String bomb) {
    return "try {\n" + bomb + "\n} catch (e) {\n"
        + "  if (e instanceof RangeError) return {statusCode: 200, body: 'refused: ' + e.name};\n"
        + "  throw e;\n}\nreturn {statusCode: 200, body: 'survived'};";
  }

  /** What the budget's termination says for {@link #BUDGET}; a JVM-wide out-of-memory says something else. */
  private static final String OVER_BUDGET = "function exceeded its 32 MB memory budget";

  /**
   * An allocation bomb and how it must end: {@code refusal} is the RangeError message the function catches, or
   * {@code null} for a bomb that keeps allocating until the memory guard ends it at the budget.
   */
  private record Bomb(String code, String refusal) {
    static Bomb overBudget(String code) {
      return new Bomb(code, null);
    }

    static Bomb refused(String code, String message) {
      return new Bomb(code, message);
    }

    String handler() {
      return "try {\n" + code + "\n} catch (e) {\n"
          + "  if (e instanceof RangeError) return {statusCode: 200, body: 'refused: ' + e.message};\n"
          + "  throw e;\n}\nreturn {statusCode: 200, body: 'survived'};";
    }

    void assertEnded(ExecutionResult result) {
      if (refusal == null) {
        assertEquals(ExecutionStatus.MEMORY_LIMIT, result.status(), () -> code + " ended " + describe(result));
        assertEquals(ErrorCodes.CS_MEMORY_LIMIT, result.errorCode(), code);
        assertEquals(OVER_BUDGET, result.errorMessage(), code);
      } else {
        assertEquals("refused: " + refusal, assertSuccessBody(result), code);
      }
    }
  }

  private static final List<Bomb> BOMBS = List.of(
      // typed arrays, one megabyte at a time, all kept
      Bomb.overBudget("const kept = []; for (;;) kept.push(new Uint8Array(1 << 20));"),
      // string doubling: the string length limit refuses it before it gets large
      Bomb.refused("let s = 'xy'; for (;;) s += s;", "Invalid string length"),
      // array growth
      Bomb.overBudget("const a = []; for (let i = 0; ; i++) a.push(i, i + 0.5, 'v' + i);"),
      // object graph growth
      Bomb.overBudget("let head = null; for (let n = 0; ; n++) head = {n, next: head, tags: ['a' + n, {n}]};"),
      // one huge buffer, and one huge string
      Bomb.refused("new ArrayBuffer(2 ** 31 - 1);", "Array buffer allocation failed"),
      Bomb.refused("'x'.repeat(2 ** 30);", "Invalid string length"),
      // built-ins that would walk billions of indices without stopping
      Bomb.refused("Array.from({length: 2 ** 32 - 1});", "Array.from: 4294967295 elements exceed the limit of 262144"),
      Bomb.refused("Object.keys(new Uint8Array(16 * 1024 * 1024));",
          "Object.keys: 16777216 elements exceed the limit of 262144"),
      Bomb.refused("'x'.repeat(8 * 1024 * 1024).split('');", "String.prototype.split: more than 262144 parts"));

  @Test
  void concurrentBombsEndAtTheBudgetWhileAWellBehavedFunctionKeepsSucceeding() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      AtomicBoolean bombing = new AtomicBoolean(true);
      AtomicInteger wellBehavedRuns = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      Future<List<ExecutionResult>> wellBehaved = pool.submit(() -> {
        start.await();
        List<ExecutionResult> results = new ArrayList<>();
        while (bombing.get() || results.isEmpty()) {
          results.add(runtime.execute(TestRequest.entry("""
                  const table = Array.from({length: 1000}, (_, i) => ({i, square: i * i}));
                  export function handler(event) {
                    return {statusCode: 200, body: String(table[event.n].square)};
                  }
                  """).bundleId("well-behaved").event("{\"n\":12}").memoryBytes(BUDGET).build()));
          wellBehavedRuns.incrementAndGet();
        }
        return results;
      });
      List<Future<List<Runnable>>> bombers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        bombers.add(pool.submit(() -> {
          start.await();
          List<Runnable> checks = new ArrayList<>();
          for (int i = 0; i < BOMBS.size(); i++) {
            Bomb bomb = BOMBS.get((i + offset) % BOMBS.size());
            ExecutionResult result = runWithBudget(bomb.handler());
            checks.add(() -> bomb.assertEnded(result));
          }
          return checks;
        }));
      }
      start.countDown();
      List<Runnable> bombChecks = new ArrayList<>();
      for (Future<List<Runnable>> bomber : bombers) {
        bombChecks.addAll(bomber.get());
      }
      bombing.set(false);

      assertEquals(4 * BOMBS.size(), bombChecks.size());
      bombChecks.forEach(Runnable::run);
      for (ExecutionResult result : wellBehaved.get()) {
        assertEquals("144", assertSuccessBody(result));
      }
      assertTrue(wellBehavedRuns.get() > 0);
      // The JVM is still healthy: the next activation runs normally.
      assertEquals("after", assertSuccessBody(
          runtime.execute(TestRequest.handler("return {statusCode: 200, body: 'after'};").build())));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void memoryLimitNamesTheBudgetAndKeepsTheLogs() {
    ExecutionResult result = runWithBudget(
        "console.log('hoarding'); const kept = []; for (;;) kept.push(new Float64Array(1 << 16));");

    assertEquals(ExecutionStatus.MEMORY_LIMIT, result.status(), () -> describe(result));
    assertEquals(ErrorCodes.CS_MEMORY_LIMIT, result.errorCode());
    assertEquals("function exceeded its 32 MB memory budget", result.errorMessage());
    assertNull(result.responseJson());
    assertNull(result.errorStack());
    assertEquals(List.of("hoarding"), result.logs().stream().map(LogEntry::message).toList());
  }

  @Test
  void theBudgetIsPerActivation() {
    // Each activation allocates well under its budget; together they allocate many times it.
    for (int i = 0; i < 5; i++) {
      ExecutionResult result = runtime.execute(TestRequest.handler("""
              const chunk = new Uint8Array(512 * 1024);
              return {statusCode: 200, body: String(chunk.length)};
              """).bundleId("per-activation").memoryBytes(2L * 1024 * 1024).build());
      assertEquals("524288", assertSuccessBody(result));
    }
  }

  @Test
  void garbageDoesNotCountAgainstTheBudget() {
    // Allocates about twenty times the budget, nearly all of it garbage at once: a function that computes is not a
    // function that hoards.
    ExecutionResult result = runtime.execute(TestRequest.handler("""
            let sum = 0;
            for (let i = 0; i < 2e6; i++) {
              const pair = [i, {value: i * 0.5, label: 'n' + i}];
              sum += pair[1].value;
            }
            return {statusCode: 200, body: String(sum)};
            """).memoryBytes(16L * 1024 * 1024).build());

    assertEquals("999999500000", assertSuccessBody(result));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "new ArrayBuffer(64 * 1024 * 1024)",
      "new Uint8Array(64 * 1024 * 1024)",
      "new Float64Array(8 * 1024 * 1024)",
      "new DataView(new ArrayBuffer(2 ** 30))",
      "new ArrayBuffer(8, {maxByteLength: 2 ** 30})",
      "Uint8Array.from({length: 64 * 1024 * 1024})",
      "'x'.repeat(16 * 1024 * 1024 + 1)",
      "'x'.padEnd(2 ** 30)",
  })
  void oneStatementCannotAllocatePastTheCaps(String statement) {
    ExecutionResult result = runWithBudget(catching(statement));

    assertEquals(REFUSED, assertSuccessBody(result), statement);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Array.prototype.indexOf.call({length: 2 ** 40}, 1)",
      "Array.prototype.lastIndexOf.call({length: 2 ** 40}, 1)",
      "Array.prototype.forEach.call({length: 2 ** 40}, (x) => x)",
      "Array.prototype.map.call({length: 2 ** 32 - 1}, (x) => x)",
      "Array.prototype.slice.call({length: 2 ** 32 - 1})",
      "Array.prototype.reduce.call({length: 2 ** 40}, (x) => x, 0)",
      "Array.prototype.splice.call({length: 2 ** 40}, 0, 1)",
      "Array.prototype.sort.call({length: 2 ** 40})",
      "Array.prototype.indexOf.call(new Proxy([], {get: (t, k) => (k === 'length' ? 2 ** 32 - 1 : t[k])}), 1)",
      "Array.prototype.every.call('x'.repeat(8 * 1024 * 1024), (c) => c === 'x')",
      "Array.from({length: 2 ** 32 - 1})",
      "Object.values(new Uint8Array(8 * 1024 * 1024))",
      "Object.entries(new Array(2 ** 24))",
      "Object.getOwnPropertyDescriptors(new Uint8Array(8 * 1024 * 1024))",
      "Object.assign({}, new Uint8Array(8 * 1024 * 1024))",
      "Reflect.ownKeys(new Proxy(new Uint8Array(8 * 1024 * 1024), {}))",
      "'ab'.repeat(4 * 1024 * 1024).split('')",
  })
  void builtinsThatCannotBeCancelledRefuseHugeInputs(String statement) {
    ExecutionResult result = runtime.execute(TestRequest.handler(
        "try { " + statement + "; return {statusCode: 200, body: 'ran'}; }"
            + " catch (e) { return {statusCode: 200, body: e.name + ': ' + e.message}; }").timeoutMs(10_000).build());

    String body = assertSuccessBody(result);
    assertTrue(body.startsWith("RangeError: ") && (body.contains(" exceed the limit of ") || body.contains(" parts")),
        () -> statement + " -> " + body);
  }

  @Test
  void guardedBuiltinsBehaveAsBefore() {
    ExecutionResult result = runtime.execute(TestRequest.handler("""
        const checks = [
          [1, 2, 3].map((x) => x * 2).join() === '2,4,6',
          Array.prototype.indexOf.call('abc', 'c') === 2,
          Array.from({length: 3}, (_, i) => i).join() === '0,1,2',
          Array.from(new Set([1, 1, 2])).length === 2,
          Uint8Array.from([1, 2]).join() === '1,2',
          Object.keys({a: 1, b: 2}).join() === 'a,b',
          Object.entries([7]).join() === '0,7',
          Object.assign({}, {a: 1}, 'xy')[1] === 'y',
          'a,b,c'.split(',').length === 3,
          'a,b,c'.split(',', 2).join() === 'a,b',
          'a1b2c'.split(/\\d/).join() === 'a,b,c',
          [].map.name === 'map' && [].map.length === 1 && Array.from.length === 1,
          String([].map) === 'function map() { [native code] }',
          (() => { try { new [].map(); return false; } catch (e) { return e instanceof TypeError; } })(),
          Object.getOwnPropertyDescriptor(Array.prototype, 'map').enumerable === false,
          new Proxy({}, {get: () => 42}).x === 42,
          Proxy.revocable({}, {}).proxy !== undefined,
          (() => { try { Proxy({}, {}); return false; } catch (e) { return e instanceof TypeError; } })(),
          Proxy.name === 'Proxy' && Proxy.length === 2 && Proxy.prototype === undefined,
          (class extends Array {}).from([1]).length === 1,
        ];
        return {statusCode: 200, body: checks.map((ok, i) => ok ? '' : 'check ' + i + ' failed').join('')};
        """).build());

    assertEquals("", assertSuccessBody(result));
  }

  @Test
  void everyGuardedBuiltinKeepsItsOriginalsNameLengthAndArguments() {
    // the lengths of ECMA-262; the wrappers are built without redefining them
    ExecutionResult result = runtime.execute(TestRequest.handler("""
        const lengths = {indexOf: 1, lastIndexOf: 1, slice: 2, map: 1, filter: 1, forEach: 1, some: 1, every: 1,
          reduce: 1, reduceRight: 1, splice: 2, shift: 0, unshift: 1, sort: 1, flat: 0, flatMap: 1, toReversed: 0,
          toSorted: 1, toSpliced: 2};
        const wrong = [];
        const expect = (what, fn, name, length) => {
          if (fn.name !== name || fn.length !== length || String(fn) !== 'function ' + name + '() { [native code] }') {
            wrong.push(what + ' ' + fn.name + '/' + fn.length);
          }
          try { new fn(); wrong.push(what + ' constructs'); } catch (e) { if (!(e instanceof TypeError)) wrong.push(what); }
        };
        for (const name of Object.keys(lengths)) {
          expect('Array.prototype.' + name, Array.prototype[name], name, lengths[name]);
        }
        for (const name of ['keys', 'values', 'entries', 'getOwnPropertyNames', 'getOwnPropertyDescriptors']) {
          expect('Object.' + name, Object[name], name, 1);
        }
        expect('Object.assign', Object.assign, 'assign', 2);
        expect('Reflect.ownKeys', Reflect.ownKeys, 'ownKeys', 1);
        // an absent argument stays absent: reduce without an initial value starts from the first element
        if ([1, 2].reduce((a, b) => a + b) !== 3 || !Number.isNaN([1, 2].reduce((a, b) => a + b, undefined))) {
          wrong.push('reduce arguments');
        }
        if ([1, 2, 3].splice(1).join() !== '2,3' || [1, 2, 3].toSpliced(1, 1, 9, 8).join() !== '1,9,8,3') {
          wrong.push('splice arguments');
        }
        if (Object.assign({}, {a: 1}, {b: 2}, {c: 3}).c !== 3) {
          wrong.push('assign arguments');
        }
        return {statusCode: 200, body: wrong.join(', ')};
        """).build());

    assertEquals("", assertSuccessBody(result));
  }

  @Test
  void uncaughtRefusalIsAnOrdinaryError() {
    ExecutionResult result = runWithBudget("const s = 'x'.repeat(2 ** 30);");

    assertRuntimeError(result, "RangeError: Invalid string length");
  }
}
