package io.codesous.runtime;

import static io.codesous.runtime.Results.assertRuntimeError;
import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The node: modules a function may import, and the clear refusal of the others. */
class NodeModulesTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  @Test
  void nodeBufferHandsOutTheBufferGlobalAsNamedAndDefaultExport() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
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
    ExecutionResult result = runtime.run(TestRequest.entry("""
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
    ExecutionResult result = runtime.run(TestRequest.entry("""
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
    ExecutionResult result = runtime.run(TestRequest.entry("""
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
    ExecutionResult result = runtime.run(TestRequest.entry("""
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

  /** Each digest as Node.js 20 computes it for the same calls. */
  @Test
  void nodeCryptoHashesAndHmacsAreNodesForTheSameCalls() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { createHash, createHmac, hash, getHashes } from 'node:crypto';
        export const handler = () => {
          const h = createHash('sha256').update('a');
          const copy = h.copy();
          copy.update('b');
          return {statusCode: 200, body: [
            createHash('sha256').update('abc').digest('hex'),
            createHash('md5').update('hello').digest('base64'),
            createHash('SHA1').update(Buffer.from('x')).update('y').digest('hex'),
            createHmac('sha256', 'key').update('The quick brown fox jumps over the lazy dog').digest('hex'),
            createHmac('sha512', Buffer.from('k')).update('data').digest('base64url'),
            hash('sha384', 'abc'),
            createHash('sha224').update('').digest('hex'),
            h.digest('hex'), copy.digest('hex'),
            createHash('sha-256').update('héllo', 'utf8').digest().length,
            createHash('sha256').update('68656c6c6f', 'hex').digest('hex'),
            getHashes().join('/'),
          ].join('\\n')};
        };
        """));

    assertEquals(String.join("\n",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "XUFAKrxLKna5cZ2REBfFkg==",
        "5f8459982f9f619f4b0d9af2542a2086e56a4bef",
        "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
        "NRR9ap8nPjw-3Umk9sFmFMnJSlbQQDb8Z7GfPNkcCFbbzGLfyJbpA9U5HPo-c66e5sy5oiWx6vDbJiX7khAhHA",
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
        "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f",
        "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb",
        "fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603",
        "32",
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        "md5/sha1/sha224/sha256/sha384/sha512"), assertSuccessBody(result));
  }

  /** Keys the JDK's HMAC refuses or hashes first, and a megabyte of data, as Node.js 20 MACs and hashes them. */
  @Test
  void nodeCryptoTakesEmptyAndLongKeysAndLargeDataAsNodeDoes() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { createHash, createHmac } from 'node:crypto';
        export const handler = () => {
          const data = Buffer.alloc(1048576, 7);
          const hash = createHash('sha256');
          for (let at = 0; at < data.length; at += 100_000) {
            hash.update(data.subarray(at, at + 100_000));
          }
          return {statusCode: 200, body: [
            createHmac('sha256', '').update('x').digest('hex'),
            hash.digest('hex'),
            createHmac('md5', 'k').update('v').digest('hex'),
            createHmac('sha224', Buffer.alloc(200, 1)).update('long key').digest('hex'),
          ].join()};
        };
        """));

    assertEquals(String.join(",",
        "4cbc96099a6467ce002461f10549b4898265ebe6188b45efacc44293516e62c4",
        "51b12eb838732b786b4d45c660a974ddf3860ae09084fd293fa6e5df46581a6c",
        "03b6c9582f223fddef02baad0cd5a270",
        "598893daf38ad9d8382a9baf25f3c9d8284568b21676b1a1dcfd8e26"), assertSuccessBody(result));
  }

  @Test
  void theWebCryptoApiStillRefusesTheHashesOnlyNodeCryptoHas() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        export const handler = async () => {
          const refused = [];
          for (const name of ['MD5', 'SHA-224']) {
            await crypto.subtle.digest(name, new Uint8Array(1)).then(() => refused.push(name + ' digested'),
              (e) => refused.push(e.name));
          }
          return {statusCode: 200, body: refused.join() + ' ' + Object.getOwnPropertyNames(crypto).length};
        };
        """));

    assertEquals("NotSupportedError,NotSupportedError 0", assertSuccessBody(result));
  }

  @Test
  void aWebhookSignatureIsVerifiedWithCreateHmacAndTimingSafeEqual() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { createHmac, timingSafeEqual } from 'node:crypto';
        const secret = 'whsec_test';
        const verify = (payload, signature) => {
          const expected = Buffer.from(createHmac('sha256', secret).update(payload).digest('hex'));
          const given = Buffer.from(signature);
          return given.length === expected.length && timingSafeEqual(given, expected);
        };
        export const handler = () => {
          const payload = '1700000000.{"id":"evt_1"}';
          const good = createHmac('sha256', secret).update(payload).digest('hex');
          let lengths;
          try { timingSafeEqual(Buffer.from('a'), Buffer.from('ab')); } catch (e) { lengths = e.name; }
          return {statusCode: 200, body: [verify(payload, good), verify(payload, good.replace(/.$/, '0')),
            verify(payload + ' ', good), lengths].join()};
        };
        """));

    assertEquals("true,false,false,RangeError", assertSuccessBody(result));
  }

  @Test
  void aDigestEndsItsHashAndAnUnknownAlgorithmIsATypeErrorNamingTheSupportedOnes() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { createHash } from 'node:crypto';
        export const handler = () => {
          const h = createHash('sha256');
          h.digest();
          const errors = [];
          try { h.update('more'); } catch (e) { errors.push(e.message); }
          try { createHash('sha3-256'); } catch (e) { errors.push(e.name + ': ' + e.message); }
          try { createHash('sha256').update(42); } catch (e) { errors.push(e.name); }
          return {statusCode: 200, body: errors.join('|')};
        };
        """));

    assertEquals("Hash: digest already called|TypeError: createHash: unsupported digest sha3-256; supported: md5, "
        + "sha1, sha224, sha256, sha384, sha512|TypeError", assertSuccessBody(result));
  }

  /** As Node.js 20 answers the same calls, but for resolve(), which resolves against the bundle's root. */
  @Test
  void nodeEventsAndNodePathAreNodesEventEmitterAndPosixPaths() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import EventEmitter, { once } from 'node:events';
        import path, { join, resolve, relative, parse, extname } from 'node:path';
        import posix from 'node:path/posix';
        export const handler = async () => {
          const e = new EventEmitter();
          const seen = [];
          e.on('x', (a, b) => seen.push(a + b));
          e.once('x', () => seen.push('once'));
          e.emit('x', 1, 2);
          e.emit('x', 3, 4);
          const waiting = once(e, 'y');
          e.emit('y', 'v');
          const got = await waiting;
          return {statusCode: 200, body: [seen.join('/'), got.join(), e.listenerCount('x'),
            join('/a/b', '../c', 'd.txt'), resolve('a/b'), relative('/a/b/c', '/a/d'),
            JSON.stringify(parse('/x/y/z.tar.gz')), extname('f.mjs'), path.sep, path.posix === path,
            posix.join('a', 'b')].join('|')};
        };
        """));

    assertEquals("3/once/7|v|1|/a/c/d.txt|/a/b|../../d|{\"root\":\"/\",\"dir\":\"/x/y\",\"base\":\"z.tar.gz\","
        + "\"ext\":\".gz\",\"name\":\"z.tar\"}|.mjs|/|true|a/b", assertSuccessBody(result));
  }

  /** As Node.js 20 answers the same calls. */
  @Test
  void nodeUtilQuerystringAndStringDecoderAreNodesForTheSameCalls() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import util, { format, inspect, promisify, inherits, types, TextEncoder } from 'node:util';
        import qs from 'node:querystring';
        import { StringDecoder } from 'node:string_decoder';
        const sleep = promisify((ms, cb) => setTimeout(() => cb(null, 'done ' + ms), ms));
        function A() {}
        function B() {}
        inherits(B, A);
        export const handler = async () => {
          const d = new StringDecoder('utf8');
          const euro = Buffer.from('€');
          const parts = [d.write(euro.subarray(0, 1)), d.write(euro.subarray(1)), d.end()];
          return {statusCode: 200, body: [format('%s=%d %j', 'a', 42, {x: 1}), inspect({a: [1, {b: 2}]}),
            await sleep(3), new B() instanceof A, types.isDate(new Date()), types.isPromise(Promise.resolve()),
            TextEncoder === globalThis.TextEncoder && util.TextEncoder === TextEncoder,
            JSON.stringify(qs.parse('a=1&b=2&a=3&c=%20x')), qs.stringify({x: [1, 2], y: 'a b'}),
            JSON.stringify(parts)].join('|')};
        };
        """));

    assertEquals("a=42 {\"x\":1}|{ a: [ 1, { b: 2 } ] }|done 3|true|true|true|true|{\"a\":[\"1\",\"3\"],\"b\":"
        + "\"2\",\"c\":\" x\"}|x=1&x=2&y=a%20b|[\"\",\"€\",\"\"]", assertSuccessBody(result));
  }

  @Test
  void nodeStringDecoderUsesTheBufferGlobalRatherThanASecondBuffer() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { StringDecoder } from 'node:string_decoder';
        export const handler = () => {
          // the decoder allocates its buffer for a partial character when it is made
          let allocated = 0;
          const allocUnsafe = Buffer.allocUnsafe;
          Buffer.allocUnsafe = function (size) {
            allocated++;
            return allocUnsafe.call(this, size);
          };
          const decoder = new StringDecoder('utf8');
          Buffer.allocUnsafe = allocUnsafe;
          return {statusCode: 200, body: allocated + ' ' + decoder.write(Buffer.from('ok'))};
        };
        """));

    assertEquals("1 ok", assertSuccessBody(result));
  }

  @Test
  void aBareNameIsTheNodeModuleAndBothSpellingsShareOneModule() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { EventEmitter as Bare } from 'events';
        import { EventEmitter as Prefixed } from 'node:events';
        import crypto from 'crypto';
        import { join } from 'path';
        import { setTimeout as sleep } from 'timers/promises';
        export const handler = async () => ({statusCode: 200, body: [Bare === Prefixed,
          crypto.createHash('sha1').update('x').digest('hex'), join('a', '..', 'b'), await sleep(1, 'slept')].join()});
        """));

    assertEquals("true,11f6ad8ec52a2984abaafd7c3b516503785c2072,b,slept", assertSuccessBody(result));
  }

  @Test
  void aBareNameFindsTheBundlesOwnFileOfThatNameFirst() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { mine } from 'util';
        export const handler = () => ({statusCode: 200, body: mine});
        """).file("util", "export const mine = 'the bundle\\'s util';"));

    assertEquals("the bundle's util", assertSuccessBody(result));
  }
  @Test
  void punycodeIsTheNpmPackageNodeJssDeprecatedModuleIsAndRequireFindsIt() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import punycode, { toASCII, toUnicode, ucs2 } from 'node:punycode';
        import { createRequire } from 'node:module';
        const require = createRequire(import.meta.url);
        export const handler = () => ({statusCode: 200, body: JSON.stringify([toASCII('mañana.com'),
          toUnicode('xn--maana-pta.com'), punycode.encode('ü'), punycode.decode('tda'), ucs2.decode('\\u{1F600}a'),
          require('punycode') === punycode, punycode.version])});
        """));

    // Node.js 20's own copy answers the same, but for its version (2.1.0)
    assertEquals("[\"xn--maana-pta.com\",\"mañana.com\",\"tda\",\"ü\",[128512,97],true,\"2.3.1\"]",
        assertSuccessBody(result));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fs", "fs/promises", "child_process", "net"})
  void aBareNameOfANodeModuleTheRuntimeLacksIsRefusedNamingTheOnesThereAre(String name) {
    ExecutionResult result = runtime.run(TestRequest.entry(
        "import * as m from '" + name + "'; export const handler = () => ({statusCode: 200});"));

    // the engine names the module by the path it read, its node: spelling
    String message = assertRuntimeError(result, "Error reading module 'node:" + name + "' imported from index.mjs: "
        + "code-sous has no module node:" + name + "; it has node:assert, node:assert/strict, node:async_hooks, ")
        .errorMessage();
    assertEquals(true, message.endsWith("node:url, node:util, node:util/types, node:zlib"), message);
  }

  @Test
  void aBundlesOwnFileNamedAsANodeModuleTheRuntimeLacksIsFound() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { platform } from 'os';
        export const handler = () => ({statusCode: 200, body: platform()});
        """).file("os", "export const platform = () => 'code-sous';"));

    assertEquals("code-sous", assertSuccessBody(result));
  }


  @Test
  void anErrorEventWithoutAListenerThrowsAsOnNode() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { EventEmitter } from 'node:events';
        export const handler = () => {
          try {
            new EventEmitter().emit('error', new Error('boom'));
            return {statusCode: 200, body: 'not thrown'};
          } catch (e) {
            return {statusCode: 200, body: e.message};
          }
        };
        """));

    assertEquals("boom", assertSuccessBody(result));
  }

  @Test
  void aNodeModuleAndTheGlobalShareOneObjectInAWarmContextAcrossActivations() {
    String source = """
        import { Buffer } from 'node:buffer';
        let calls = 0;
        export const handler = () => ({statusCode: 200, body: [++calls, Buffer === globalThis.Buffer].join()});
        """;
    TestRequest warm = TestRequest.entry(source).warm();
    assertEquals("1,true", assertSuccessBody(runtime.run(warm)));
    assertEquals("2,true", assertSuccessBody(runtime.run(warm)));
  }

  @Test
  void createRequireOfNodeModuleRequiresTheModulesAnImportGetsAsNodeDoes() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { createRequire } from 'node:module';
        import { EventEmitter } from 'node:events';
        import { Buffer } from 'node:buffer';
        import path from 'path';
        const require = createRequire(import.meta.url);
        export const handler = () => ({statusCode: 200, body: JSON.stringify([
          require('events') === EventEmitter, require('node:events').EventEmitter === EventEmitter,
          require('buffer').Buffer === Buffer, require('path') === path, require('path').join('/a', 'b', '../c'),
          require('crypto').createHmac('sha256', 'key').update('value').digest('hex'),
          require('util').format('%s=%d', 'n', 42), require('querystring').stringify({a: [1, 2]}),
          require('process') === globalThis.process, typeof require('timers').setTimeout,
          require('module').isBuiltin('node:events'), require.resolve('node:path'), require.resolve('util'),
        ])});
        """));

    // Node.js 20 answers the same calls with the same values
    assertEquals("[true,true,true,true,\"/a/c\","
        + "\"90fbfcf15e74a36b89dbdb2a721d9aecffdfdddc5c83e27f7592594f71932481\",\"n=42\",\"a=1&a=2\",true,"
        + "\"function\",true,\"node:path\",\"util\"]", assertSuccessBody(result));
  }

  @Test
  void requireOfAModuleThereIsNotThrowsModuleNotFoundWhichCodeMayCatch() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { createRequire, builtinModules, isBuiltin } from 'node:module';
        const require = createRequire(import.meta.url);
        // the way packages probe for an optional dependency
        let fs;
        try { fs = require('fs'); } catch (e) { fs = e; }
        function failure(call) {
          try { call(); return 'no error'; } catch (e) { return e.name + ' ' + e.code; }
        }
        export const handler = () => ({statusCode: 200, body: JSON.stringify([
          fs.code, fs.message, failure(() => require('./lib.js')), failure(() => require(42)),
          failure(() => require.resolve('node:fs')), failure(() => createRequire()), isBuiltin('fs'),
          builtinModules,
        ])});
        """));

    assertEquals("[\"MODULE_NOT_FOUND\","
        + "\"Cannot find module 'fs': require() serves the node: modules code-sous has (node:assert,"
        + " node:assert/strict, node:async_hooks, node:buffer, node:crypto, node:diagnostics_channel, node:events,"
        + " node:http, node:https, node:module, node:os, node:path, node:path/posix, node:perf_hooks, node:process,"
        + " node:punycode, node:querystring, node:stream, node:stream/promises, node:stream/web, node:string_decoder,"
        + " node:timers, node:timers/promises, node:url, node:util, node:util/types,"
        + " node:zlib); files of the bundle are imported\",\"Error MODULE_NOT_FOUND\","
        + "\"TypeError ERR_INVALID_ARG_TYPE\",\"Error MODULE_NOT_FOUND\",\"TypeError ERR_INVALID_ARG_VALUE\",false,"
        + "[\"assert\",\"assert/strict\",\"async_hooks\",\"buffer\",\"crypto\",\"diagnostics_channel\",\"events\","
        + "\"http\",\"https\",\"module\",\"os\",\"path\",\"path/posix\",\"perf_hooks\",\"process\",\"punycode\","
        + "\"querystring\",\"stream\",\"stream/promises\",\"stream/web\",\"string_decoder\",\"timers\","
        + "\"timers/promises\",\"url\",\"util\",\"util/types\",\"zlib\"]]", assertSuccessBody(result));
  }

  @Test
  void processGetBuiltinModuleAnswersAsNodeDoesAndEvaluatesOnlyTheModuleAsked() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { EventEmitter } from 'node:events';
        export const handler = () => {
          const crypto = process.getBuiltinModule('node:crypto');
          let refused;
          try { process.getBuiltinModule(7); } catch (e) { refused = e.name + ' ' + e.code; }
          return {statusCode: 200, body: JSON.stringify([
            process.getBuiltinModule('events') === EventEmitter, crypto === process.getBuiltinModule('crypto'),
            crypto.createHash('sha1').update('abc').digest('hex'), process.getBuiltinModule('fs'),
            process.getBuiltinModule('node:child_process'), process.getBuiltinModule('../index.mjs'), refused,
          ])};
        };
        """));

    // Node.js 20.16 answers the same, but for its fs and child_process
    assertEquals("[true,true,\"a9993e364706816aba3e25717850c26c9cd0d89d\",null,null,null,"
        + "\"TypeError ERR_INVALID_ARG_TYPE\"]", assertSuccessBody(result));
  }

  @Test
  void aModuleRequiredWhileTheEntryModuleIsEvaluatedIsTheOneItImportsLater() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { createRequire } from 'node:module';
        const require = createRequire(import.meta.url);
        const required = require('util');
        const { inherits } = await import('node:util');
        export const handler = () => ({statusCode: 200, body: String(required.inherits === inherits)});
        """));

    assertEquals("true", assertSuccessBody(result));
  }

  @Test
  void theModulesRequireServesAreTheModulesThereAre() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { builtinModules } from 'node:module';
        export const handler = () => ({statusCode: 200, body: builtinModules.join()});
        """));

    assertEquals(String.join(",", NodeModules.names()), assertSuccessBody(result));
  }

  @Test
  void nodeOsAnswersAsALinuxMachineThatShowsNothingOfItsHost() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import os, { EOL, platform, cpus, availableParallelism, tmpdir, hostname, networkInterfaces } from 'os';
        let refused;
        try { os.setPriority(0); } catch (e) { refused = e.code; }
        export const handler = () => ({statusCode: 200, body: JSON.stringify([
          EOL, platform(), os.type(), cpus(), availableParallelism(), tmpdir(), hostname(), networkInterfaces(),
          os.endianness(), os.userInfo().username, os.loadavg(), refused,
        ])});
        """));

    assertEquals("[\"\\n\",\"linux\",\"Linux\",[],1,\"/tmp\",\"localhost\",{},\"LE\",\"\",[0,0,0],"
        + "\"ERR_METHOD_NOT_IMPLEMENTED\"]", assertSuccessBody(result));
  }

  @Test
  void nodePerfHooksAndNodeStreamWebAreTheWebGlobals() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { performance } from 'node:perf_hooks';
        import web, { ReadableStream, TransformStream, TextDecoderStream, CompressionStream } from 'node:stream/web';
        export const handler = async () => {
          const upper = new TransformStream({
            transform(chunk, controller) { controller.enqueue(chunk.toUpperCase()); },
          });
          const text = await new Response(ReadableStream.from(['a', 'b']).pipeThrough(upper)).text();
          return {statusCode: 200, body: [
            performance === globalThis.performance, ReadableStream === globalThis.ReadableStream,
            TextDecoderStream === globalThis.TextDecoderStream, web.CompressionStream === CompressionStream,
            typeof performance.now(), text,
          ].join()};
        };
        """));

    assertEquals("true,true,true,true,number,AB", assertSuccessBody(result));
  }

  @Test
  void nodeUtilTypesIsNodeUtilsTypesByNameWithTheWebCryptoKeys() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { types } from 'node:util';
        import utilTypes, { isDate, isPromise, isUint8Array, isAsyncFunction, isCryptoKey, isKeyObject }
            from 'util/types';
        export const handler = async () => {
          const key = await crypto.subtle.generateKey({name: 'HMAC', hash: 'SHA-256'}, false, ['sign']);
          return {statusCode: 200, body: [
            isDate(new Date()), isDate('2024'), isPromise(Promise.resolve()), isUint8Array(Buffer.alloc(1)),
            isAsyncFunction(async () => {}), isCryptoKey(key), isCryptoKey({}), isKeyObject(key),
            utilTypes.isMap === types.isMap,
          ].join()};
        };
        """));

    assertEquals("true,false,true,true,true,true,false,false,true", assertSuccessBody(result));
  }

  @ParameterizedTest
  @ValueSource(strings = {"node:fs", "node:child_process", "node:timers/../fs", "node:timers/../index.mjs",
      "node:/etc/passwd", "node:"})
  void anyOtherNodeModuleIsAnImportErrorNamingTheOnesThereAre(String specifier) {
    ExecutionResult result = runtime.run(TestRequest.entry(
        "import * as m from '" + specifier + "'; export const handler = () => ({statusCode: 200});"));

    String message = assertRuntimeError(result, "code-sous has no module " + specifier + ";").errorMessage();
    assertEquals(true, message.endsWith("; it has node:assert, node:assert/strict, node:async_hooks, node:buffer, "
        + "node:crypto, node:diagnostics_channel, node:events, node:http, node:https, node:module, node:os, node:path, "
        + "node:path/posix, node:perf_hooks, node:process, node:punycode, node:querystring, node:stream, "
        + "node:stream/promises, node:stream/web, node:string_decoder, node:timers, node:timers/promises, node:url, "
        + "node:util, node:util/types, node:zlib"), message);
  }

  @Test
  void aNamedImportTheModuleDoesNotHaveFailsNamingIt() {
    ExecutionResult result = runtime.run(TestRequest.entry(
        "import { createCipheriv } from 'node:crypto'; export const handler = () => ({statusCode: 200});"));

    assertRuntimeError(result, "createCipheriv");
  }
}
