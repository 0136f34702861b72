package io.codesous.runtime;

import static io.codesous.runtime.Results.assertRuntimeError;
import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Functions get no host access and see nothing outside their bundle. */
class SandboxTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  /** The node: modules an import refusal names, in its order. */
  private static final String NODE_MODULES = "node:assert, node:assert/strict, node:async_hooks, node:buffer, "
      + "node:crypto, node:diagnostics_channel, node:events, node:http, node:https, node:module, node:os, node:path, "
      + "node:path/posix, node:perf_hooks, node:process, node:punycode, node:querystring, node:stream, "
      + "node:stream/promises, node:stream/web, node:string_decoder, node:timers, node:timers/promises, node:url, "
      + "node:util, node:util/types, node:zlib";

  @ParameterizedTest
  @ValueSource(strings = {"Java", "Polyglot", "Graal", "load", "loadWithNewGlobal", "print", "printErr", "require",
      "quit", "exit", "read", "readline", "readbuffer", "Packages", "java", "javax", "com", "org",
      "global", "module", "exports", "SharedArrayBuffer", "Debug", "Realm", "$262"})
  void forbiddenGlobalIsUndefinedEverywhere(String name) {
    ExecutionResult result = runtime.run(TestRequest.handler("""
        const viaFunction = constructor.constructor('return this')();
        const viaIndirectEval = (0, eval)('this');
        return {statusCode: 200, body: [
          typeof %1$s,
          typeof globalThis['%1$s'],
          typeof viaFunction['%1$s'],
          typeof viaIndirectEval['%1$s'],
          viaFunction === globalThis,
          Object.getOwnPropertyNames(globalThis).includes('%1$s'),
        ].join()};
        """.formatted(name)));

    assertEquals("undefined,undefined,undefined,undefined,true,false", assertSuccessBody(result));
  }

  @Test
  void noJavaInteropThroughAnyRoute() {
    ExecutionResult result = runtime.run(TestRequest.handler("""
        const attempts = {
          javaType: () => Java.type('java.lang.System'),
          polyglotEval: () => Polyglot.eval('js', '1'),
          polyglotImport: () => Polyglot.import('x'),
          load: () => load('/etc/passwd'),
          require: () => require('fs'),
          process: () => process.exit(1),
          processBinding: () => process.binding('fs'),
          graal: () => Graal.versionGraalVM,
          functionCtor: () => Function('return Java')().type('java.lang.Runtime'),
          packages: () => Packages.java.lang.System,
          java: () => java.lang.System,
        };
        const outcomes = [];
        for (const [name, attempt] of Object.entries(attempts)) {
          try { attempt(); outcomes.push(name + ':reached'); } catch (e) { outcomes.push(name + ':' + e.name); }
        }
        return {statusCode: 200, body: outcomes.join(',')};
        """));

    assertEquals("javaType:ReferenceError,polyglotEval:ReferenceError,polyglotImport:ReferenceError,"
        + "load:ReferenceError,require:ReferenceError,process:TypeError,processBinding:TypeError,"
        + "graal:ReferenceError,functionCtor:ReferenceError,packages:ReferenceError,java:ReferenceError",
        assertSuccessBody(result));
  }

  @Test
  void globalObjectHasNoNonStandardMembers() {
    ExecutionResult result = runtime.run(TestRequest.handler("""
        const forbidden = ['arguments', 'Java', 'Polyglot', 'Graal', 'Packages', 'java', 'load', 'print', 'quit',
          'read', 'readline', 'readbuffer', 'require', 'Debug'];
        const present = Object.getOwnPropertyNames(globalThis).filter((name) => forbidden.includes(name));
        return {statusCode: 200, body: present.join()};
        """));

    assertEquals("", assertSuccessBody(result));
  }

  @Test
  void importAboveTheBundleRootIsRefused() {
    ExecutionResult result = runtime.run(TestRequest.entry(
            "import { x } from '../outside.mjs'; export const handler = () => ({statusCode: 200, body: x});")
        .file("outside.mjs", "export const x = 'should not matter';"));

    assertRuntimeError(result, "outside the bundle");
    assertRuntimeError(result, "../outside.mjs");
  }

  @Test
  void importClimbingOutOfANestedModuleIsRefused() {
    ExecutionResult result = runtime.run(TestRequest.entry(
            "import { x } from './lib/a.mjs'; export const handler = () => ({statusCode: 200, body: x});")
        .file("lib/a.mjs", "export { x } from '../../../etc/passwd';"));

    assertRuntimeError(result, "outside the bundle");
  }

  /**
   * Each specifier with the exact refusal: host paths (and bare names, which resolve like paths) are looked up in
   * the bundle, which has no such file; node: names only the runtime's own modules ({@link NodeModulesTest}); other
   * URI schemes would need a socket, which the sandbox never has.
   */
  static Stream<Arguments> outOfBundleImports() {
    String notFound = "Error: Cannot find module '%s' imported from index.mjs";
    String noSocket = "Error: Error reading module '%s' imported from index.mjs: Socket IO is not allowed";
    return Stream.of(
        Arguments.of("/etc/passwd", notFound.formatted("/etc/passwd")),
        Arguments.of("/etc/hostname", notFound.formatted("/etc/hostname")),
        Arguments.of("file:///etc/passwd", notFound.formatted("/etc/passwd")),
        Arguments.of("/proc/self/environ", notFound.formatted("/proc/self/environ")),
        Arguments.of("fs", "Error: Error reading module 'node:fs' imported from index.mjs: code-sous has no module "
            + "node:fs; it has " + NODE_MODULES),
        Arguments.of("../escaped.mjs",
            "Error: Error reading module '../escaped.mjs' imported from index.mjs: path is outside the bundle"),
        Arguments.of("https://example.com/x.mjs", noSocket.formatted("https://example.com/x.mjs")),
        Arguments.of("jar:file:///x.jar!/a.mjs", noSocket.formatted("jar:file:///x.jar!/a.mjs")),
        Arguments.of("node:fs", "Error: Error reading module 'node:fs' imported from index.mjs: code-sous has no "
            + "module node:fs; it has " + NODE_MODULES),
        Arguments.of("data:text/javascript,export const x = 1;",
            "Error: Illegal character in opaque part at index 27: data:text/javascript,export const x = 1;"));
  }

  @ParameterizedTest
  @MethodSource("outOfBundleImports")
  void importOfAnythingOutsideTheBundleIsAnError(String specifier, String message) {
    ExecutionResult result = runtime.run(TestRequest.entry(
        "import * as m from '" + specifier + "'; export const handler = () => ({statusCode: 200});"));

    assertEquals(message, assertRuntimeError(result, "").errorMessage(), specifier);
  }

  @Test
  void dynamicImportOutsideTheBundleRejects() {
    ExecutionResult result = runtime.run(TestRequest.handler("""
        return import('../../etc/passwd').then(
          () => ({statusCode: 200, body: 'reached'}),
          (e) => ({statusCode: 200, body: e.name + ': ' + e.message}));
        """));

    String body = assertSuccessBody(result);
    assertEquals("Error: ", body.substring(0, 7));
    assertFalse(body.contains("reached"));
  }

  @Test
  void theGlobalObjectHoldsOnlyStandardGlobalsAndTheRuntimesOwn() {
    ExecutionResult result = runtime.run(TestRequest.handler("""
        const global = globalThis.constructor.constructor('return this')();
        return {statusCode: 200, body: String(global === globalThis) + ' '
          + Object.getOwnPropertyNames(global).sort().join()};
        """));

    // The ECMAScript globals, console and cs, the Web platform APIs of cs-web.js, Buffer and process.
    assertEquals("true AbortController,AbortSignal,AggregateError,Array,ArrayBuffer,Atomics,BigInt,BigInt64Array,"
        + "BigUint64Array,Blob,Boolean,Buffer,ByteLengthQueuingStrategy,CompressionStream,CountQueuingStrategy,"
        + "Crypto,CryptoKey,CustomEvent,DOMException,DataView,Date,DecompressionStream,Error,EvalError,Event,"
        + "EventTarget,File,FinalizationRegistry,Float16Array,Float32Array,Float64Array,FormData,Function,Headers,"
        + "Infinity,Int16Array,Int32Array,Int8Array,Intl,Iterator,JSON,Map,Math,NaN,Number,Object,Promise,Proxy,"
        + "RangeError,ReadableByteStreamController,ReadableStream,ReadableStreamBYOBReader,ReadableStreamBYOBRequest,"
        + "ReadableStreamDefaultController,ReadableStreamDefaultReader,ReferenceError,Reflect,RegExp,Request,Response,"
        + "Set,String,SubtleCrypto,Symbol,SyntaxError,TextDecoder,TextDecoderStream,TextEncoder,TextEncoderStream,"
        + "TransformStream,TransformStreamDefaultController,TypeError,URIError,URL,URLPattern,URLSearchParams,"
        + "Uint16Array,Uint32Array,Uint8Array,Uint8ClampedArray,WeakMap,WeakRef,WeakSet,WritableStream,"
        + "WritableStreamDefaultController,WritableStreamDefaultWriter,atob,btoa,clearInterval,clearTimeout,console,"
        + "crypto,cs,decodeURI,decodeURIComponent,encodeURI,encodeURIComponent,escape,eval,fetch,globalThis,isFinite,"
        + "isNaN,navigator,parseFloat,parseInt,performance,process,queueMicrotask,reportError,self,setInterval,"
        + "setTimeout,"
        + "structuredClone,undefined,unescape",
        assertSuccessBody(result));
  }

  @Test
  void theRuntimesObjectsArePlainJavaScriptAllTheWayDown() {
    // Walks everything reachable from cs, console and ctx, through properties and prototypes: only ordinary
    // objects and functions of this realm, nothing with Java members.
    ExecutionResult result = runtime.run(TestRequest.handler("""
        const seen = new Set();
        const problems = [];
        // cs.NonRetryableError is a class of this realm's Error: its prototypes are Error's
        const standard = new Set([Object.prototype, Function.prototype, Array.prototype, Error, Error.prototype,
          null]);
        function walk(value, path) {
          if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return;
          seen.add(value);
          for (const javaName of ['getClass', 'hashCode', 'wait', 'notify', 'class', 'static']) {
            if (javaName in value && !(javaName in Object.prototype)) problems.push(path + '.' + javaName);
          }
          const proto = Object.getPrototypeOf(value);
          if (!standard.has(proto)) problems.push(path + ' has a foreign prototype');
          for (const key of Reflect.ownKeys(value)) {
            const descriptor = Object.getOwnPropertyDescriptor(value, key);
            walk(descriptor.value, path + '.' + String(key));
          }
        }
        walk(cs, 'cs');
        walk(console, 'console');
        walk(ctx, 'ctx');
        const tricks = [
          typeof cs.log.getClass, typeof cs.kv.get.getClass, console.log.constructor === Function,
          Object.getPrototypeOf(cs) === Object.prototype, cs.__proto__ === Object.prototype,
          typeof console.log.constructor('return this')().Java,
          cs.log.call.constructor('return typeof Polyglot')(),
        ];
        return {statusCode: 200, body: problems.join() + '|' + tricks.join()};
        """));

    assertEquals("|undefined,undefined,true,true,true,undefined,undefined", assertSuccessBody(result));
  }

  @ParameterizedTest
  @ValueSource(strings = {"file:///etc/passwd", "/etc/passwd", "../x.mjs", "../../x.mjs",
      "data:text/javascript,export default 1", "https://example.com/x.mjs", "node:fs", "fs"})
  void dynamicImportOfAnythingOutsideTheBundleRejects(String specifier) {
    ExecutionResult result = runtime.run(TestRequest.handler("""
            return import('%s').then(
              () => ({statusCode: 200, body: 'reached'}),
              (e) => ({statusCode: 200, body: 'refused ' + (e instanceof Error)}));
            """.formatted(specifier))
        .file("x.mjs", "export default 1;"));

    assertEquals("refused true", assertSuccessBody(result));
  }

  @Test
  void atomicsCannotBlockTheThread() {
    ExecutionResult result = runtime.run(TestRequest.handler("""
        try {
          Atomics.wait(new Int32Array(new ArrayBuffer(16)), 0, 0, 60000);
          return {statusCode: 200, body: 'waited'};
        } catch (e) {
          return {statusCode: 200, body: e.name};
        }
        """));

    assertEquals("TypeError", assertSuccessBody(result));
  }

  @Test
  void replacingBuiltinsDoesNotBreakTheRuntime() {
    ExecutionResult result = runtime.run(TestRequest.handler("""
        JSON.stringify = () => { throw new Error('hijacked'); };
        Promise.prototype.then = () => { throw new Error('hijacked'); };
        Array.prototype.map = null;
        Object.keys = null;
        console.log('still', {logged: true});
        return {statusCode: 200, body: 'ok'};
        """));

    assertEquals("ok", assertSuccessBody(result));
    assertEquals(List.of("still {\"logged\":true}"), result.logs().stream().map(LogEntry::message).toList());
  }
}
