package io.codesous.runtime;

import static io.codesous.runtime.Results.assertRuntimeError;
import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LoggingTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  private static List<String> levels(ExecutionResult result) {
    return result.logs().stream().map(LogEntry::level).toList();
  }

  private static List<String> messages(ExecutionResult result) {
    return result.logs().stream().map(LogEntry::message).toList();
  }

  @Test
  void entriesKeepCallOrderLevelsSequenceAndTimestamps() {
    long before = System.currentTimeMillis();
    ExecutionResult result = runtime.run(TestRequest.entry("""
        export async function handler() {
          console.log('one');
          console.info('two');
          console.warn('three');
          await null;
          console.error('four');
          console.debug('five');
          cs.log('warn', 'six');
          cs.log('debug', 'seven', 7);
          return {statusCode: 200};
        }
        """));
    long after = System.currentTimeMillis();

    assertSuccessBody(result);
    assertEquals(List.of("one", "two", "three", "four", "five", "six", "seven 7"), messages(result));
    assertEquals(List.of("info", "info", "warn", "error", "debug", "warn", "debug"), levels(result));
    for (int i = 0; i < result.logs().size(); i++) {
      LogEntry entry = result.logs().get(i);
      assertEquals(i, entry.seq());
      assertTrue(entry.tsMs() >= before && entry.tsMs() <= after, "timestamp " + entry.tsMs());
      if (i > 0) {
        assertTrue(entry.tsMs() >= result.logs().get(i - 1).tsMs());
      }
    }
    assertFalse(result.logsTruncated());
  }

  @Test
  void argumentsAreJoinedWithSpacesAndNonStringsAreJson() {
    ExecutionResult result = runtime.run(TestRequest.handler("""
        console.log('starting', {path: '/a'});
        console.log(1, true, null, undefined, [1, 'two'], 'str');
        console.log();
        console.log(Symbol('s'), 10n, function named() {}, () => 0);
        return {statusCode: 200};
        """));

    assertEquals(List.of(
        "starting {\"path\":\"/a\"}",
        "1 true null undefined [1,\"two\"] str",
        "",
        "Symbol(s) 10 [Function: named] [Function: anonymous]"), messages(result));
  }

  @Test
  void errorsAreLoggedWithTheirStack() {
    ExecutionResult result = runtime.run(TestRequest.handler("""
        const bare = new TypeError('no stack');
        Object.defineProperty(bare, 'stack', {value: undefined});
        console.error('failed:', new Error('logged'));
        console.error(bare);
        return {statusCode: 200};
        """));

    List<String> messages = messages(result);
    assertTrue(messages.get(0).startsWith("failed: Error: logged\n    at handler (index.mjs:"), messages.get(0));
    assertFalse(messages.get(0).contains("cs-runtime"), messages.get(0));
    assertEquals("TypeError: no stack", messages.get(1));
  }

  @Test
  void cyclicAndHostileValuesDoNotBreakLogging() {
    ExecutionResult result = runtime.run(TestRequest.handler("""
        const cyclic = {name: 'loop'};
        cyclic.self = cyclic;
        const hostile = {toJSON() { throw new Error('no json'); }, toString() { return 'hostile'; }};
        const opaque = Object.create(null);
        console.log('cyclic', cyclic);
        console.log(hostile);
        console.log(opaque);
        console.log({toJSON() { throw 1; }, toString() { throw 2; }});
        return {statusCode: 200, body: 'still running'};
        """));

    assertEquals("still running", assertSuccessBody(result));
    assertEquals(List.of("cyclic [object Object]", "hostile", "{}", "[object Object]"), messages(result));
  }

  @Test
  void replacingBuiltInsDoesNotBreakLogging() {
    ExecutionResult result = runtime.run(TestRequest.handler("""
        JSON.stringify = () => { throw new Error('replaced'); };
        String.prototype.indexOf = () => { throw new Error('replaced'); };
        console.log({a: 1});
        return {statusCode: 200};
        """));

    assertEquals(List.of("{\"a\":1}"), messages(result));
  }

  @Test
  void unknownCsLogLevelThrowsATypeError() {
    ExecutionResult caught = runtime.run(TestRequest.handler("""
        const outcomes = [];
        for (const level of ['fatal', 'log', 'toString', 1]) {
          try { cs.log(level, 'x'); outcomes.push('logged'); } catch (e) { outcomes.push(e.constructor.name); }
        }
        return {statusCode: 200, body: outcomes.join(',')};
        """));
    ExecutionResult uncaught = runtime.run(TestRequest.handler("cs.log('fatal', 'x');"));

    assertEquals("TypeError,TypeError,TypeError,TypeError", assertSuccessBody(caught));
    assertTrue(caught.logs().isEmpty());
    assertRuntimeError(uncaught, "TypeError: cs.log: unknown level \"fatal\"");
  }

  @Test
  void csIsFrozenAndConsoleIsTheRuntimes() {
    ExecutionResult result = runtime.run(TestRequest.handler("""
        'use strict';
        let replaced = true;
        try { cs.log = () => {}; } catch (e) { replaced = false; }
        return {statusCode: 200, body: [Object.isFrozen(cs), replaced, typeof console.log].join()};
        """));

    assertEquals("true,false,function", assertSuccessBody(result));
  }

  @Test
  void logCapByLinesKeepsAPrefixAndAddsOneMarker() {
    ExecutionResult result = runtime.run(TestRequest.handler("""
            for (let i = 0; i < 10; i++) console.log('line ' + i);
            cs.log('error', 'after the cap');
            return {statusCode: 200};
            """)
        .limits(new ExecutionLimits(1024, 3, ExecutionLimits.DEFAULT_MAX_RESPONSE_BYTES,
            ExecutionLimits.DEFAULT_MEMORY_BYTES)));

    assertSuccessBody(result);
    assertTrue(result.logsTruncated());
    assertEquals(List.of("line 0", "line 1", "line 2", "[cs] log truncated: limit of 3 lines / 1024 bytes reached"),
        messages(result));
    assertEquals(List.of("info", "info", "info", "warn"), levels(result));
    assertEquals(3, result.logs().get(3).seq());
  }

  @Test
  void logCapByBytesCountsUtf8AndAddsOneMarker() {
    // "éé" is 4 bytes: two entries fit in 10 bytes, the third would make 12.
    ExecutionResult result = runtime.run(TestRequest.handler("""
            for (let i = 0; i < 5; i++) console.log('éé');
            console.log('x');
            return {statusCode: 200};
            """)
        .limits(new ExecutionLimits(10, 100, ExecutionLimits.DEFAULT_MAX_RESPONSE_BYTES,
            ExecutionLimits.DEFAULT_MEMORY_BYTES)));

    assertTrue(result.logsTruncated());
    assertEquals(List.of("éé", "éé", "[cs] log truncated: limit of 100 lines / 10 bytes reached"),
        messages(result));
    assertEquals(1, result.logs().stream().filter(e -> e.message().startsWith("[cs] log truncated")).count());
  }

  @Test
  void oneOversizedMessageTruncatesAtOnce() {
    ExecutionResult result = runtime.run(TestRequest.handler("""
            console.log('small');
            console.log('y'.repeat(5000));
            console.log('small again');
            return {statusCode: 200};
            """)
        .limits(new ExecutionLimits(1024, 100, ExecutionLimits.DEFAULT_MAX_RESPONSE_BYTES,
            ExecutionLimits.DEFAULT_MEMORY_BYTES)));

    assertEquals(List.of("small", "[cs] log truncated: limit of 100 lines / 1024 bytes reached"),
        messages(result));
    assertTrue(result.logsTruncated());
  }

  @Test
  void logsAreKeptWhenTheHandlerFails() {
    ExecutionResult result = runtime.run(TestRequest.handler("console.log('before'); throw new Error('after');"));

    assertRuntimeError(result, "after");
    assertEquals(List.of("before"), messages(result));
  }
}
