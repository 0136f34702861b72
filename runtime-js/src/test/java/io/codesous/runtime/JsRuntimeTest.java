package io.codesous.runtime;

import static io.codesous.runtime.Results.assertRuntimeError;
import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JsRuntimeTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  @Test
  void syncHandlerResponseIsNormalized() {
    ExecutionResult result = runtime.run(TestRequest.handler(
        "return {statusCode: 200, headers: {'content-type': 'text/plain'}, body: 'hello', extra: 1};"));

    assertEquals(ExecutionStatus.SUCCESS, result.status());
    assertEquals("{\"statusCode\":200,\"headers\":{\"content-type\":\"text/plain\"},\"body\":\"hello\","
        + "\"isBase64Encoded\":false}", result.responseJson());
    assertNull(result.errorMessage());
    assertNull(result.errorStack());
    assertTrue(result.durationMs() >= 0);
    assertTrue(result.startMs() > 0);
  }

  @Test
  void asyncHandlerIsAwaited() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        export async function handler() {
          const parts = await Promise.all([Promise.resolve('a'), new Promise((r) => r('b'))]);
          await null;
          return {statusCode: 201, body: parts.join('+')};
        }
        """));

    assertEquals("a+b", assertSuccessBody(result));
    assertTrue(result.responseJson().startsWith("{\"statusCode\":201,"));
  }

  @Test
  void handlerMayReturnAThenableThatIsNotAPromise() {
    ExecutionResult result = runtime.run(TestRequest.handler(
        "return {then(resolve) { resolve({statusCode: 200, body: 'thenable'}); }};"));

    assertEquals("thenable", assertSuccessBody(result));
  }

  @Test
  void defaultExportFunctionIsTheHandler() {
    ExecutionResult result = runtime.run(TestRequest.entry(
        "export default (event, ctx) => ({statusCode: 200, body: 'default ' + event.who});")
        .event("{\"who\":\"fn\"}"));

    assertEquals("default fn", assertSuccessBody(result));
  }

  @Test
  void defaultExportObjectHandlerIsCalledWithTheObjectAsThis() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        export default {
          greeting: 'from object',
          handler() { return {statusCode: 200, body: this.greeting}; },
        };
        """));

    assertEquals("from object", assertSuccessBody(result));
  }

  @Test
  void namedHandlerTakesPrecedenceOverDefaultExport() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        export function handler() { return {statusCode: 200, body: 'named'}; }
        export default function () { return {statusCode: 200, body: 'default'}; }
        """));

    assertEquals("named", assertSuccessBody(result));
  }

  @Test
  void namedHandlerThatIsNotAFunctionFallsBackToDefault() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        export const handler = 'not a function';
        export default () => ({statusCode: 200, body: 'default'});
        """));

    assertEquals("default", assertSuccessBody(result));
  }

  @Test
  void missingHandlerIsAnError() {
    ExecutionResult result = runtime.run(TestRequest.entry("export const notAHandler = () => 1;"));

    assertRuntimeError(result, "entry module index.mjs does not export a handler function");
    assertEquals("entry module index.mjs does not export a handler function", result.errorMessage());
  }

  @Test
  void defaultObjectWithoutHandlerIsAnError() {
    ExecutionResult result = runtime.run(TestRequest.entry("export default {handler: 42};"));

    assertRuntimeError(result, "does not export a handler function");
  }

  @Test
  void missingEntryFileIsAnError() {
    ExecutionResult result = runtime.run(TestRequest.handler("return {statusCode: 200};").entryPath("main.mjs"));

    assertRuntimeError(result, "entry module main.mjs is not in the bundle");
  }

  @Test
  void modulesImportSiblingAndNestedFiles() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
            import { greet } from './greet.mjs';
            import { upper } from './lib/text/upper.mjs';
            export function handler(event) {
              return {statusCode: 200, body: upper(greet(event.name))};
            }
            """)
        .file("greet.mjs", "import { suffix } from './lib/suffix.mjs';\n"
            + "export const greet = (n) => 'hello ' + n + suffix;")
        .file("lib/suffix.mjs", "import { mark } from '../shared/mark.mjs'; export const suffix = mark;")
        .file("shared/mark.mjs", "export const mark = '!';")
        .file("lib/text/upper.mjs", "import * as s from '../suffix.mjs';\n"
            + "export const upper = (t) => t.toUpperCase() + s.suffix;")
        .event("{\"name\":\"ada\"}"));

    assertEquals("HELLO ADA!!", assertSuccessBody(result));
  }

  @Test
  void entryInASubdirectoryResolvesImportsFromItsOwnDirectory() {
    ExecutionResult result = runtime.run(TestRequest.entry("export const wrong = true;")
        .file("src/main.mjs", """
            import { value } from './helper.mjs';
            import { top } from '../top.mjs';
            export const handler = () => ({statusCode: 200, body: value + top + ' ' + import.meta.url});
            """)
        .file("src/helper.mjs", "export const value = 'helper';")
        .file("top.mjs", "export const top = '+top';")
        .entryPath("src/main.mjs"));

    assertEquals("helper+top file:///src/main.mjs", assertSuccessBody(result));
  }

  @Test
  void entryAndImportsMayUseThePlainJsExtension() {
    ExecutionResult result = runtime.run(TestRequest.entry("export const wrong = true;")
        .file("main.js", "import { x } from './lib/x.js'; export const handler = () => ({statusCode: 200, body: x});")
        .file("lib/x.js", "export const x = 'js extension';")
        .entryPath("main.js"));

    assertEquals("js extension", assertSuccessBody(result));
  }

  @Test
  void absoluteSpecifiersResolveAgainstTheBundleRoot() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
            import { a } from '/lib/a.mjs';
            import { b } from 'file:///lib/b.mjs';
            export const handler = () => ({statusCode: 200, body: a + b});
            """)
        .file("lib/a.mjs", "export const a = 'a';")
        .file("lib/b.mjs", "export const b = 'b';"));

    assertEquals("ab", assertSuccessBody(result));
  }

  @Test
  void dynamicImportOfABundleFileWorks() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
            export async function handler() {
              const lib = await import('./lib/late.mjs');
              return {statusCode: 200, body: lib.late};
            }
            """)
        .file("lib/late.mjs", "export const late = 'loaded late';"));

    assertEquals("loaded late", assertSuccessBody(result));
  }

  @Test
  void importOfAMissingBundleFileIsAnError() {
    ExecutionResult result = runtime.run(TestRequest.entry(
        "import { x } from './nope.mjs'; export const handler = () => ({statusCode: 200});"));

    assertRuntimeError(result, "nope.mjs");
  }

  @Test
  void syntaxErrorIsAnErrorNamingTheFile() {
    ExecutionResult result = runtime.run(TestRequest.entry("export function handler( {\n  return 1;\n}\n"));

    assertRuntimeError(result, "SyntaxError");
    assertTrue(result.errorMessage().contains("index.mjs"), result.errorMessage());
  }

  @Test
  void syntaxErrorInAnImportedModuleNamesThatModule() {
    ExecutionResult result = runtime.run(TestRequest.entry(
            "import { x } from './lib/broken.mjs'; export const handler = () => ({statusCode: 200});")
        .file("lib/broken.mjs", "export const x = ;"));

    assertRuntimeError(result, "SyntaxError");
    assertTrue(result.errorMessage().contains("broken.mjs"), result.errorMessage());
  }

  @Test
  void topLevelThrowInTheModuleIsAnError() {
    ExecutionResult result = runtime.run(TestRequest.entry(
        "throw new RangeError('bad config');\nexport const handler = () => ({statusCode: 200});"));

    assertRuntimeError(result, "RangeError: bad config");
  }

  @Test
  void thrownErrorGivesItsMessageAndTheGuestStack() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        function fail() {
          throw new Error('boom');
        }
        export function handler() {
          fail();
        }
        """));

    assertRuntimeError(result, "boom");
    assertEquals("Error: boom", result.errorMessage());
    assertNotNull(result.errorStack());
    assertTrue(result.errorStack().startsWith("Error: boom"), result.errorStack());
    assertTrue(result.errorStack().contains("index.mjs:2"), result.errorStack());
    assertTrue(result.errorStack().contains("at handler"), result.errorStack());
    assertTrue(!result.errorStack().contains("cs-runtime") && !result.errorStack().contains("java."),
        result.errorStack());
  }

  @Test
  void stackOfAThrowInAnImportedModuleNamesThatModule() {
    ExecutionResult result = runtime.run(TestRequest.entry(
            "import { explode } from './lib/util.mjs'; export const handler = () => explode();")
        .file("lib/util.mjs", "export function explode() {\n  throw new TypeError('kaput');\n}\n"));

    assertEquals("TypeError: kaput", assertRuntimeError(result, "kaput").errorMessage());
    assertTrue(result.errorStack().contains("util.mjs:2"), result.errorStack());
  }

  @Test
  void thrownNonErrorValueGivesItsStringFormAndNoStack() {
    ExecutionResult plain = runtime.run(TestRequest.handler("throw 'plain string';"));
    ExecutionResult number = runtime.run(TestRequest.handler("throw 42;"));
    ExecutionResult object = runtime.run(TestRequest.handler("throw {code: 1};"));
    ExecutionResult nullProto = runtime.run(TestRequest.handler("throw Object.create(null);"));

    assertEquals("plain string", assertRuntimeError(plain, "plain").errorMessage());
    assertNull(plain.errorStack());
    assertEquals("42", assertRuntimeError(number, "42").errorMessage());
    assertEquals("[object Object]", assertRuntimeError(object, "object").errorMessage());
    assertEquals("[object Object]", assertRuntimeError(nullProto, "object").errorMessage());
  }

  @Test
  void asyncRejectionIsAnErrorWithMessageAndStack() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        export async function handler() {
          await null;
          throw new TypeError('async nope');
        }
        """));

    assertEquals("TypeError: async nope", assertRuntimeError(result, "async nope").errorMessage());
    assertTrue(result.errorStack().contains("index.mjs:3"), result.errorStack());
  }

  @Test
  void rejectionWithANonErrorValueGivesItsStringForm() {
    ExecutionResult result = runtime.run(TestRequest.handler("return Promise.reject('nah');"));

    assertEquals("nah", assertRuntimeError(result, "nah").errorMessage());
    assertNull(result.errorStack());
  }

  @Test
  void errorWithAHostileToStringStillGivesAMessage() {
    ExecutionResult result = runtime.run(TestRequest.handler(
        "const e = new Error('x'); e.toString = () => { throw new Error('no'); }; throw e;"));

    assertRuntimeError(result, "[object Error]");
  }

  @Test
  void eventIsAPlainObjectWithAllMembers() {
    ExecutionResult result = runtime.run(TestRequest.handler("""
            return {statusCode: 200, body: [
              Object.getPrototypeOf(event) === Object.prototype,
              event.httpMethod, event.headers['x-a'], Array.isArray(event.list), event.list.length,
              event.body === null, event.nested.deep.n + 1,
            ].join('|')};
            """)
        .event("{\"httpMethod\":\"POST\",\"headers\":{\"x-a\":\"1\"},\"list\":[1,2,3],\"body\":null,"
            + "\"nested\":{\"deep\":{\"n\":41}}}"));

    assertEquals("true|POST|1|true|3|true|42", assertSuccessBody(result));
  }

  @Test
  void invalidEventJsonIsAnError() {
    ExecutionResult result = runtime.run(TestRequest.handler("return {statusCode: 200};").event("{not json"));

    assertRuntimeError(result, "the event is not valid JSON");
  }

  @Test
  void ctxExposesEveryMemberAndIsFrozen() {
    InvocationInfo info = new InvocationInfo("act-ctx-1", "req-ctx-1", "tenant-a", "ns-b", "fn-c", 7, "schedule",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    long timeoutMs = 15_000;

    ExecutionResult result = runtime.run(TestRequest.handler("""
            'use strict';
            let mutable = true;
            try { ctx.tenant = 'other'; } catch (e) { mutable = false; }
            const remaining = ctx.remainingMs();
            return {statusCode: 200, body: [
              ctx.activationId, ctx.requestId, ctx.tenant, ctx.namespace, ctx.function.name,
              ctx.function.version, typeof ctx.function.version, ctx.trigger.type, ctx.traceparent,
              ctx.tracestate, ctx.deadlineMs, typeof ctx.remainingMs, typeof remaining,
              remaining >= 0 && remaining <= %d,
              Object.isFrozen(ctx), Object.isFrozen(ctx.function), Object.isFrozen(ctx.trigger), mutable,
            ].join('|')};
            """.formatted(timeoutMs))
        .info(info)
        .timeoutMs(timeoutMs));

    String body = assertSuccessBody(result);
    // The handler's budget starts once the module has been evaluated: start + init_ms + timeoutMs, to the ms.
    long expectedDeadline = result.startMs() + result.initMs() + timeoutMs;
    assertEquals("act-ctx-1|req-ctx-1|tenant-a|ns-b|fn-c|7|number|schedule|"
        + "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01|congo=t61rcWkgMzE,rojo=00f067aa0ba902b7|"
        + expectedDeadline
        + "|function|number|true|true|true|true|false", body);
  }

  @Test
  void missingRequestIdAndTraceContextAreNull() {
    InvocationInfo info = new InvocationInfo("act-ctx-2", null, "t", "n", "f", 1, "cli", null);

    ExecutionResult result = runtime.run(TestRequest.handler("return {statusCode: 200, body: String(ctx.requestId === null)"
            + " + (ctx.traceparent === null) + (ctx.tracestate === null)};")
        .info(info));

    assertEquals("truetruetrue", assertSuccessBody(result));
  }

  @Test
  void sourceCacheCountsOneMissThenHitsForTheSameBundle() {
    try (JsRuntime fresh = new JsRuntime(new RuntimeOptions())) {
      TestRequest bundle = TestRequest.handler("return {statusCode: 200, body: 'cached'};").bundleId("sha-1");

      assertEquals(new SourceCacheStats(0, 0), fresh.sourceCacheStats());
      assertEquals("cached", assertSuccessBody(fresh.execute(bundle.build())));
      assertEquals(new SourceCacheStats(0, 1), fresh.sourceCacheStats());
      assertEquals("cached", assertSuccessBody(fresh.execute(bundle.build())));
      assertEquals("cached", assertSuccessBody(fresh.execute(bundle.build())));
      assertEquals(new SourceCacheStats(2, 1), fresh.sourceCacheStats());

      fresh.execute(TestRequest.handler("return {statusCode: 200};").bundleId("sha-2").build());
      assertEquals(new SourceCacheStats(2, 2), fresh.sourceCacheStats());
    }
  }

  @Test
  void sourceCacheEvictsTheLeastRecentlyUsedBundle() {
    try (JsRuntime small = new JsRuntime(new RuntimeOptions().setSourceCacheSize(1))) {
      ExecutionRequest a = TestRequest.handler("return {statusCode: 200, body: 'a'};").bundleId("a").build();
      ExecutionRequest b = TestRequest.handler("return {statusCode: 200, body: 'b'};").bundleId("b").build();

      assertEquals("a", assertSuccessBody(small.execute(a)));
      assertEquals("b", assertSuccessBody(small.execute(b)));
      assertEquals("a", assertSuccessBody(small.execute(a)));

      assertEquals(new SourceCacheStats(0, 3), small.sourceCacheStats());
    }
  }

  @Test
  void everyActivationGetsAFreshContext() {
    TestRequest bundle = TestRequest.handler("""
        const seen = [typeof globalThis.leaked, typeof ({}).polluted, typeof console.extra].join(',');
        globalThis.leaked = 'yes';
        Object.prototype.polluted = true;
        console.extra = () => 1;
        return {statusCode: 200, body: seen};
        """).bundleId("fresh-context");

    assertEquals("undefined,undefined,undefined", assertSuccessBody(runtime.run(bundle)));
    assertEquals("undefined,undefined,undefined", assertSuccessBody(runtime.run(bundle)));
  }

  @Test
  void moduleStateIsNotSharedBetweenActivations() {
    TestRequest bundle = TestRequest.entry("""
        let count = 0;
        export function handler() { count++; return {statusCode: 200, body: String(count)}; }
        """).bundleId("module-state");

    assertEquals("1", assertSuccessBody(runtime.run(bundle)));
    assertEquals("1", assertSuccessBody(runtime.run(bundle)));
  }

  @Test
  void executeRejectsNullAndUseAfterClose() {
    assertThrows(NullPointerException.class, () -> runtime.execute(null));

    JsRuntime closed = new JsRuntime(new RuntimeOptions());
    closed.close();
    closed.close();
    assertThrows(IllegalStateException.class,
        () -> closed.execute(TestRequest.handler("return {statusCode: 200};").build()));
  }
}
