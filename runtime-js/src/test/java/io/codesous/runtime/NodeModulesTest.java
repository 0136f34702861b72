package io.codesous.runtime;

import static io.codesous.runtime.Results.assertRuntimeError;
import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The node: modules a function may import, and the clear refusal of the others. */
class NodeModulesTest {

  private static JsRuntime runtime;

  @BeforeAll
  static void startRuntime() {
    runtime = new JsRuntime(new RuntimeOptions());
  }

  @AfterAll
  static void closeRuntime() {
    runtime.close();
  }

  private static ExecutionResult run(TestRequest request) {
    return runtime.execute(request.build());
  }

  @Test
  void nodeBufferHandsOutTheBufferGlobalAsNamedAndDefaultExport() {
    ExecutionResult result = run(TestRequest.entry("""
        import { Buffer, atob, btoa, constants, kMaxLength } from 'node:buffer';
        import buffer from 'node:buffer';
        export const handler = () => ({statusCode: 200, body: [
          Buffer === globalThis.Buffer, buffer.Buffer === Buffer, atob === globalThis.atob, btoa('hi'),
          Buffer.from('héllo').toString('base64url'), kMaxLength === constants.MAX_LENGTH, Object.isFrozen(constants),
        ].join()});
        """));

    assertEquals("true,true,true,aGk=,aMOpbGxv,true,true", assertSuccessBody(result));
  }

  @Test
  void nodeProcessIsTheProcessGlobalWithTheManifestsEnv() {
    ExecutionResult result = run(TestRequest.entry("""
        import process, { env, nextTick } from 'node:process';
        const table = env.TABLE;
        export const handler = async () => {
          const order = [];
          nextTick(() => order.push('tick'));
          order.push('sync');
          await null;
          return {statusCode: 200, body: [process === globalThis.process, table, order.join('>')].join()};
        };
        """).env(java.util.Map.of("TABLE", "orders")));

    assertEquals("true,orders,sync>tick", assertSuccessBody(result));
  }

  @Test
  void nodeUrlAndNodeTimersAreTheWebGlobals() {
    ExecutionResult result = run(TestRequest.entry("""
        import { URL, URLSearchParams } from 'node:url';
        import timers, { setTimeout, clearTimeout } from 'node:timers';
        export const handler = () => new Promise((resolve) => {
          const cancelled = setTimeout(() => resolve({statusCode: 500}), 5);
          clearTimeout(cancelled);
          timers.setTimeout(() => resolve({statusCode: 200, body: [
            new URL('/a?b=1', 'https://example.com').href, new URLSearchParams('x=1&x=2').getAll('x').join('+'),
            URL === globalThis.URL,
          ].join()}), 10);
        });
        """));

    assertEquals("https://example.com/a?b=1,1+2,true", assertSuccessBody(result));
  }

  @Test
  void nodeTimersPromisesSetTimeoutResolvesWithItsValueOrRejectsWhenAborted() {
    ExecutionResult result = run(TestRequest.entry("""
        import { setTimeout as sleep } from 'node:timers/promises';
        export const handler = async () => {
          const value = await sleep(5, 'slept');
          const controller = new AbortController();
          const waiting = sleep(10_000, 'never', {signal: controller.signal}).catch((e) => e.name);
          controller.abort();
          const early = await sleep(1, 'x', {signal: AbortSignal.abort()}).catch((e) => e.name);
          return {statusCode: 200, body: [value, await waiting, early].join()};
        };
        """));

    assertEquals("slept,AbortError,AbortError", assertSuccessBody(result));
  }

  @Test
  void nodeCryptoHasTheWebCryptoPartsAndRandomBytes() {
    ExecutionResult result = run(TestRequest.entry("""
        import crypto, { randomUUID, randomBytes, webcrypto, subtle, getRandomValues } from 'node:crypto';
        export const handler = async () => {
          const bytes = randomBytes(70_000);
          const viaCallback = await new Promise((resolve) => randomBytes(8, (err, b) => resolve(err ?? b.length)));
          const digest = await subtle.digest('SHA-256', new TextEncoder().encode('abc'));
          return {statusCode: 200, body: [
            /^[0-9a-f-]{36}$/.test(randomUUID()), Buffer.isBuffer(bytes), bytes.length,
            bytes.subarray(65_536).some((b) => b !== 0), viaCallback, webcrypto === globalThis.crypto,
            crypto.subtle === subtle, getRandomValues(new Uint8Array(4)).length,
            Buffer.from(digest).toString('hex').slice(0, 16),
          ].join()};
        };
        """));

    assertEquals("true,true,70000,true,8,true,true,4,ba7816bf8f01cfea", assertSuccessBody(result));
  }

  @Test
  void aNodeModuleAndTheGlobalShareOneObjectInAWarmContextAcrossActivations() {
    String source = """
        import { Buffer } from 'node:buffer';
        let calls = 0;
        export const handler = () => ({statusCode: 200, body: [++calls, Buffer === globalThis.Buffer].join()});
        """;
    TestRequest warm = TestRequest.entry(source).warm();
    assertEquals("1,true", assertSuccessBody(run(warm)));
    assertEquals("2,true", assertSuccessBody(run(warm)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"node:fs", "node:child_process", "node:timers/../fs", "node:timers/../index.mjs",
      "node:/etc/passwd", "node:"})
  void anyOtherNodeModuleIsAnImportErrorNamingTheOnesThereAre(String specifier) {
    ExecutionResult result = run(TestRequest.entry(
        "import * as m from '" + specifier + "'; export const handler = () => ({statusCode: 200});"));

    String message = assertRuntimeError(result, "code-sous has no module " + specifier + ";").errorMessage();
    assertEquals(true, message.contains("node:buffer, node:crypto, node:process, node:timers, node:timers/promises,"
        + " node:url"), message);
  }

  @Test
  void aNamedImportTheModuleDoesNotHaveFailsNamingIt() {
    ExecutionResult result = run(TestRequest.entry(
        "import { createHash } from 'node:crypto'; export const handler = () => ({statusCode: 200});"));

    assertRuntimeError(result, "createHash");
  }
}
