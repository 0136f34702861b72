package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static io.codesous.runtime.Results.assertTimeout;
import static io.codesous.runtime.Results.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WebAssembly in the sandbox: the JavaScript API works as the standard says for a function that uses it; the
 * memories and tables its modules define stay under the context's allocation cap however they are declared or
 * grown; a module's memory counts towards the budget; a module that loops forever ends with the deadline; and a
 * function that never names WebAssembly runs in a context without it. GraalWasm needs Java 21 (see
 * {@link WasmLimits#runsOnThisJvm()}): {@code mvn verify} on Java 17 runs the rest only where it can, and
 * {@code scripts/jit-tests.sh} runs them all on the JDK 25.
 *
 * <p>The modules are written out in the binary format, each with the text format it encodes.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WebAssemblyTest {

  /** 96 MiB: the allocation cap, the budget rounded down to a power of two, is then 64 MiB or 1,024 pages. */
  private static final long BUDGET = 96L * 1024 * 1024;

  /** (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add) */
  private static final String ADD = "[0,97,115,109,1,0,0,0, 1,7,1,96,2,127,127,1,127, 3,2,1,0, 7,7,1,3,97,100,100,0,0,"
      + " 10,9,1,7,0,32,0,32,1,106,11]";

  /*
   * (memory (export "mem") 1 MAX) (func (export "grow") (param i32) (result i32) local.get 0 memory.grow): the
   * sections before the memory section, and those after it.
   */
  private static final String GROWING_BEFORE_MEMORY = "[0,97,115,109,1,0,0,0, 1,6,1,96,1,127,1,127, 3,2,1,0, ";
  private static final String GROWING_AFTER_MEMORY = ", 7,14,2,3,109,101,109,2,0,4,103,114,111,119,0,0,"
      + " 10,8,1,6,0,32,0,64,0,11]";

  /** (memory 1): no maximum, so up to 65,536 pages (4 GiB) as written. */
  private static final String MEMORY_WITHOUT_MAXIMUM = GROWING_BEFORE_MEMORY + "5,3,1,0,1" + GROWING_AFTER_MEMORY;
  /** (memory 1 65536), the maximum as the three-byte LEB128 0x80 0x80 0x04. */
  private static final String MEMORY_UP_TO_4_GIB = GROWING_BEFORE_MEMORY + "5,6,1,1,1,128,128,4"
      + GROWING_AFTER_MEMORY;
  /** (memory 2000): an initial size past the cap. */
  private static final String MEMORY_STARTING_AT_2000_PAGES = GROWING_BEFORE_MEMORY + "5,4,1,0,208,15"
      + GROWING_AFTER_MEMORY;

  /** (func (export "spin") (loop br 0)) */
  private static final String SPIN = "[0,97,115,109,1,0,0,0, 1,4,1,96,0,0, 3,2,1,0, 7,8,1,4,115,112,105,110,0,0,"
      + " 10,9,1,7,0,3,64,12,0,11,11]";

  private static final String PRELUDE = """
      const bytes = (list) => new Uint8Array(list);
      const failure = (f) => { try { f(); return 'no error'; } catch (e) { return e.name + ': ' + e.message; } };
      const rejection = async (p) => {
        try { await p; return 'no error'; } catch (e) { return e.name + ': ' + e.message; }
      };
      """;

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void aFunctionCompilesInstantiatesAndCallsModulesThroughEveryEntryOfTheApi() {
    GuestChecks.assertChecks(runtime.get(), PRELUDE + "const add = bytes(" + ADD + ");\n", """
        const module = new WebAssembly.Module(add);
        t.push(['Module', new WebAssembly.Instance(module, {}).exports.add(2, 40), 42]);
        t.push(['instanceof', module instanceof WebAssembly.Module, true]);
        t.push(['constructor', WebAssembly.Module.prototype.constructor === WebAssembly.Module, true]);
        t.push(['exports', JSON.stringify(WebAssembly.Module.exports(module)), '[{"name":"add","kind":"function"}]']);
        t.push(['imports', WebAssembly.Module.imports(module).length, 0]);
        const both = await WebAssembly.instantiate(add.buffer);
        t.push(['instantiate bytes', both.instance.exports.add(-1, 1), 0]);
        t.push(['instantiate bytes module', both.module instanceof WebAssembly.Module, true]);
        const instance = await WebAssembly.instantiate(module);
        t.push(['instantiate module', instance instanceof WebAssembly.Instance, true]);
        t.push(['compile', (await WebAssembly.compile(new DataView(add.buffer))) instanceof WebAssembly.Module, true]);
        t.push(['validate', WebAssembly.validate(add), true]);
        t.push(['validate garbage', WebAssembly.validate(bytes([0, 97, 115, 109, 1, 0, 0, 0, 99])), false]);
        t.push(['malformed', failure(() => new WebAssembly.Module(bytes([0, 97, 115, 109, 1, 0, 0, 0, 5, 9, 1])))
            .startsWith('CompileError: WebAssembly.Module(): section 5 at byte 8 runs past the end'), true]);
        t.push(['not wasm', failure(() => new WebAssembly.Module(bytes([1, 2, 3, 4]))).startsWith('CompileError'),
            true]);
        t.push(['not bytes', failure(() => new WebAssembly.Module('add')),
            'TypeError: WebAssembly.Module(): Argument 0 must be a buffer source']);
        t.push(['without new', failure(() => WebAssembly.Module(add)),
            'TypeError: WebAssembly.Module must be called with new']);
        t.push(['compile rejects', await rejection(WebAssembly.compile(42)),
            'TypeError: WebAssembly.compile(): Argument 0 must be a buffer source']);
        const served = new Response(add, {headers: {'content-type': 'application/wasm'}});
        const streamed = await WebAssembly.instantiateStreaming(served);
        t.push(['instantiateStreaming', streamed.instance.exports.add(1, 2), 3]);
        t.push(['compileStreaming', (await WebAssembly.compileStreaming(Promise.resolve(new Response(add,
            {headers: {'content-type': 'Application/Wasm; charset=x'}})))) instanceof WebAssembly.Module, true]);
        t.push(['streaming type', await rejection(WebAssembly.compileStreaming(new Response(add))),
            'TypeError: WebAssembly.compileStreaming(): the response\\'s Content-Type is missing,'
            + ' not application/wasm']);
        t.push(['streaming status', await rejection(WebAssembly.instantiateStreaming(new Response(add,
            {status: 404, headers: {'content-type': 'application/wasm'}}))),
            'TypeError: WebAssembly.instantiateStreaming(): the response\\'s status is 404, not a success']);
        t.push(['global', new WebAssembly.Global({value: 'i32', mutable: true}, 7).value, 7]);
        t.push(['own property', Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly').enumerable, false]);
        """, 22);
  }

  /** Each module in an activation of its own, so that one 64 MiB memory at a time counts towards the budget. */
  @ParameterizedTest
  @ValueSource(strings = {MEMORY_WITHOUT_MAXIMUM, MEMORY_UP_TO_4_GIB})
  @EnabledForJreRange(min = JRE.JAVA_21)
  void aModulesMemoryGrowsUpToTheAllocationCapAndNoFurther(String module) {
    String body = assertSuccessBody(runtime.execute(TestRequest.asyncHandler(PRELUDE + """
        const {instance} = await WebAssembly.instantiate(bytes(%s));
        const {grow, mem} = instance.exports;
        const out = [grow(100), mem.buffer.byteLength / 65536, grow(2000), grow(923), grow(1)];
        out.push(mem.buffer.byteLength / 65536);
        return {statusCode: 200, body: out.join(' ')};
        """.formatted(module)).memoryBytes(BUDGET).build()));
    // grow answers the old size, or -1 when it cannot grow: 1 + 100 + 923 = 1,024 pages is the cap
    assertEquals("1 101 -1 101 -1 1024", body);
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void aModuleOrMemoryThatStartsPastTheCapIsRefusedWithARangeErrorNamingIt() {
    GuestChecks.assertChecks(runtime.get(), PRELUDE, """
        t.push(['module', failure(() => new WebAssembly.Module(bytes(%s))), 'RangeError: WebAssembly.Module():'
            + ' memory 0 starts at 2000 pages, more than the 1024 the function\\'s memory limit allows']);
        t.push(['memory', failure(() => new WebAssembly.Memory({initial: 1025})), 'RangeError: WebAssembly.Memory():'
            + ' an initial size of 1025 pages is more than the 1024 the function\\'s memory limit allows']);
        const memory = new WebAssembly.Memory({initial: 1, maximum: 65536});
        t.push(['grow to the cap', memory.grow(1023), 1]);
        t.push(['grow past it', failure(() => memory.grow(1)).startsWith('RangeError'), true]);
        const unbounded = new WebAssembly.Memory({initial: 0});
        t.push(['unbounded', failure(() => unbounded.grow(1025)).startsWith('RangeError'), true]);
        t.push(['memory instanceof', memory instanceof WebAssembly.Memory, true]);
        t.push(['table', failure(() => new WebAssembly.Table({element: 'anyfunc', initial: 1e7})).startsWith(
            'RangeError: WebAssembly.Table(): an initial size of 10000000 elements'), true]);
        const table = new WebAssembly.Table({element: 'anyfunc', initial: 1});
        t.push(['table grows', table.grow(10), 1]);
        t.push(['table length', table.length, 11]);
        """.formatted(MEMORY_STARTING_AT_2000_PAGES), 9, BUDGET);
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void memoriesCountTowardsTheBudget() {
    ExecutionResult result = runtime.execute(TestRequest.handler("""
        const kept = [];
        for (;;) kept.push(new WebAssembly.Memory({initial: 256}));
        """).memoryBytes(BUDGET).build());
    assertEquals(ExecutionStatus.MEMORY_LIMIT, result.status(), () -> describe(result));
    assertEquals(ErrorCodes.CS_MEMORY_LIMIT, result.errorCode());
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void aModuleThatLoopsForeverEndsWithTheDeadline() {
    assertTimeout(runtime.execute(TestRequest.asyncHandler(PRELUDE + """
        const {instance} = await WebAssembly.instantiate(bytes(%s));
        instance.exports.spin();
        """.formatted(SPIN)).timeoutMs(500).build()), 500);
    assertEquals("42", assertSuccessBody(runtime.execute(TestRequest.asyncHandler(PRELUDE + """
        const {instance} = await WebAssembly.instantiate(bytes(%s));
        return {statusCode: 200, body: String(instance.exports.add(40, 2))};
        """.formatted(ADD)).build())), "the runtime runs the next module");
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void aContextWithWebAssemblyStillReachesNothingOfTheHost() {
    // (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
    String wasi = "[0,97,115,109,1,0,0,0, 1,5,1,96,1,127,0, 2,36,1,22," + codes("wasi_snapshot_preview1") + ",9,"
        + codes("proc_exit") + ",0,0]";
    GuestChecks.assertChecks(runtime.get(), PRELUDE, """
        for (const name of ['Java', 'Polyglot', 'Graal', 'Packages', 'load', 'print', 'require']) {
          t.push([name, typeof globalThis[name], 'undefined']);
        }
        t.push(['process holds only env, nextTick and getBuiltinModule', Object.keys(process).join(),
          'env,nextTick,getBuiltinModule']);
        const module = new WebAssembly.Module(bytes(%s));
        t.push(['imports', JSON.stringify(WebAssembly.Module.imports(module)),
            '[{"module":"wasi_snapshot_preview1","name":"proc_exit","kind":"function"}]']);
        t.push(['no WASI', (await rejection(WebAssembly.instantiate(module))).startsWith('TypeError'), true]);
        t.push(['no WASI either', failure(() => new WebAssembly.Instance(module, {})).startsWith('TypeError'), true]);
        """.formatted(wasi), 11);
  }

  private static String codes(String ascii) {
    return String.join(",", ascii.chars().mapToObj(Integer::toString).toList());
  }

  @Test
  @EnabledForJreRange(max = JRE.JAVA_20)
  void onAJvmOlderThan21AFunctionThatUsesWebAssemblyFindsItUndefined() {
    String body = assertSuccessBody(runtime.execute(TestRequest.handler(
        "return {statusCode: 200, body: typeof WebAssembly};").build()));
    assertEquals("undefined", body);
  }

  @Test
  void aFunctionThatNeverNamesWebAssemblyRunsWithoutIt() {
    String body = assertSuccessBody(runtime.execute(TestRequest.handler(
        "return {statusCode: 200, body: typeof globalThis['Web' + 'Assem' + 'bly']};").build()));
    assertEquals("undefined", body);
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void aBundleFileThatNamesWebAssemblyGivesTheWholeBundleTheApi() {
    String body = assertSuccessBody(runtime.execute(TestRequest.entry("""
        import { available } from './lib/detect.mjs';
        export function handler() { return {statusCode: 200, body: String(available())}; }
        """).file("lib/detect.mjs", "export const available = () => typeof WebAssembly.instantiate;").build()));
    assertEquals("function", body);
  }
}
