package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static io.codesous.runtime.Results.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code cs.kv}, {@code cs.codeq}, {@code cs.http} and {@code cs.cadence} reach the platform only through bindings. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HostBindingsTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  /** The platform side as a test double: an in-memory KV, recorded calls, and a hook to shape each answer. */
  static class FakeBindings implements HostBindings {
    final Map<String, String> kv = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<HostFetchRequest> fetches = new CopyOnWriteArrayList<>();
    HostFetchResponse fetchAnswer = new HostFetchResponse(200, Map.of(), new byte[0], "https://example.com/");

    <T> CompletionStage<T> answer(String call, Supplier<T> value) {
      calls.add(call);
      return CompletableFuture.completedFuture(value.get());
    }

    @Override
    public CompletionStage<String> kvGet(String key) {
      return answer("kvGet " + key, () -> kv.get(key));
    }

    @Override
    public CompletionStage<Void> kvSet(String key, String value) {
      return answer("kvSet " + key, () -> {
        kv.put(key, value);
        return null;
      });
    }

    @Override
    public CompletionStage<Boolean> kvDel(String key) {
      return answer("kvDel " + key, () -> kv.remove(key) != null);
    }

    @Override
    public CompletionStage<List<String>> kvList(String prefix) {
      return answer("kvList " + prefix,
          () -> kv.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().toList());
    }

    @Override
    public CompletionStage<Void> codeqPublish(String topic, String message) {
      return answer("codeqPublish " + topic + " " + message, () -> null);
    }

    @Override
    public CompletionStage<HostFetchResponse> httpFetch(HostFetchRequest request) {
      fetches.add(request);
      return answer("httpFetch " + request.method() + " " + request.url(), () -> fetchAnswer);
    }

    @Override
    public CompletionStage<Void> cadenceHeartbeat(String detailsJson) {
      return answer("cadenceHeartbeat " + detailsJson, () -> null);
    }
  }

  @Test
  void kvValuesRoundTrip() {
    FakeBindings bindings = new FakeBindings();
    ExecutionResult result = runtime.run(TestRequest.asyncHandler("""
        await cs.kv.set('user:1', 'ada');
        await cs.kv.set('user:2', 'grace ✓');
        const missing = await cs.kv.get('user:3');
        const found = await cs.kv.get('user:2');
        const keys = await cs.kv.list('user:');
        const deleted = await cs.kv.del('user:1');
        const deletedAgain = await cs.kv.del('user:1');
        return {statusCode: 200, body: JSON.stringify({missing, found, keys, deleted, deletedAgain})};
        """).bindings(bindings));

    assertEquals("{\"missing\":null,\"found\":\"grace ✓\",\"keys\":[\"user:1\",\"user:2\"],\"deleted\":true,"
        + "\"deletedAgain\":false}", assertSuccessBody(result));
    assertEquals(Map.of("user:2", "grace ✓"), bindings.kv);
    assertEquals(List.of("kvSet user:1", "kvSet user:2", "kvGet user:3", "kvGet user:2", "kvList user:",
        "kvDel user:1", "kvDel user:1"), bindings.calls);
  }

  @Test
  void withoutBindingsEveryCapabilityIsDenied() {
    ExecutionResult result = runtime.run(TestRequest.asyncHandler("""
        const attempts = [
          () => cs.kv.get('k'), () => cs.kv.set('k', 'v'), () => cs.kv.del('k'), () => cs.kv.list(),
          () => cs.codeq.publish('topic', {a: 1}), () => cs.http.fetch('https://example.com/'),
        ];
        const outcomes = [];
        for (const attempt of attempts) {
          try {
            await attempt();
            outcomes.push('allowed');
          } catch (e) {
            outcomes.push(e instanceof Error && e.code === 'CS_CAPABILITY_DENIED' ? 'denied' : 'other ' + e);
          }
        }
        let message;
        try { await cs.kv.get('k'); } catch (e) { message = e.message; }
        return {statusCode: 200, body: outcomes.join() + '|' + message};
        """));

    assertEquals("denied,denied,denied,denied,denied,denied|the function has no kv capability",
        assertSuccessBody(result));
  }

  @Test
  void aBindingCompletingOnAnotherThreadLaterResolvesThePromise() {
    List<Thread> completedOn = new CopyOnWriteArrayList<>();
    FakeBindings bindings = new FakeBindings() {
      @Override
      public CompletionStage<String> kvGet(String key) {
        return CompletableFuture.supplyAsync(() -> {
          completedOn.add(Thread.currentThread());
          return "late:" + key;
        }, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
      }
    };
    ExecutionResult result = runtime.run(TestRequest.asyncHandler("""
        const [a, b] = await Promise.all([cs.kv.get('a'), cs.kv.get('b')]);
        return {statusCode: 200, body: a + ' ' + b};
        """).bindings(bindings));

    assertEquals("late:a late:b", assertSuccessBody(result));
    assertEquals(2, completedOn.size());
    completedOn.forEach(thread -> assertNotSame(Thread.currentThread(), thread));
  }

  @Test
  void aBindingThatNeverCompletesTimesOutAndIsCancelled() {
    List<CompletableFuture<String>> stages = new CopyOnWriteArrayList<>();
    FakeBindings bindings = new FakeBindings() {
      @Override
      public CompletionStage<String> kvGet(String key) {
        CompletableFuture<String> never = new CompletableFuture<>();
        stages.add(never);
        return never;
      }
    };
    ExecutionResult result = runtime.run(TestRequest.asyncHandler("await cs.kv.get('k'); return {statusCode: 200};")
        .bindings(bindings).timeoutMs(500));

    assertTimeout(result, 500);
    assertEquals(1, stages.size());
    assertTrue(stages.get(0).isCancelled());
  }

  @Test
  void aCompletionAfterTheActivationEndedIsDropped() throws Exception {
    CompletableFuture<String> late = new CompletableFuture<>();
    FakeBindings bindings = new FakeBindings() {
      @Override
      public CompletionStage<String> kvGet(String key) {
        return late.thenApply(value -> value);
      }
    };
    ExecutionResult result = runtime.run(TestRequest.asyncHandler(
        "cs.kv.get('k').then((v) => console.log('too late', v)); return {statusCode: 200, body: 'done'};")
        .bindings(bindings));
    late.complete("value");

    assertEquals("done", assertSuccessBody(result));
    assertEquals(List.of(), result.logs());
    // The runtime is unaffected: the next activation with the same bindings runs normally.
    assertEquals("next", assertSuccessBody(runtime.run(TestRequest.asyncHandler("return {statusCode: 200, body: 'next'};")
        .bindings(bindings))));
  }

  @Test
  void failuresReachTheFunctionWithTheirCode() {
    FakeBindings bindings = new FakeBindings() {
      @Override
      public CompletionStage<Void> kvSet(String key, String value) {
        return CompletableFuture.failedFuture(new HostCallException("CS_CAPABILITY_DENIED",
            "key " + key + " is outside the allowed prefixes"));
      }

      @Override
      public CompletionStage<Boolean> kvDel(String key) {
        throw new IllegalStateException("connection refused to 10.0.0.7");
      }

      @Override
      public CompletionStage<List<String>> kvList(String prefix) {
        return CompletableFuture.failedFuture(new RuntimeException("secret detail"));
      }
    };
    ExecutionResult result = runtime.run(TestRequest.asyncHandler("""
        const outcome = async (call) => {
          try { await call(); return 'ok'; } catch (e) { return e.code + ': ' + e.message; }
        };
        return {statusCode: 200, body: [
          await outcome(() => cs.kv.set('other:1', 'v')),
          await outcome(() => cs.kv.del('k')),
          await outcome(() => cs.kv.list('p')),
        ].join('|')};
        """).bindings(bindings));

    assertEquals("CS_CAPABILITY_DENIED: key other:1 is outside the allowed prefixes|CS_HOST_ERROR: cs.kv.del failed|"
        + "CS_HOST_ERROR: cs.kv.list failed", assertSuccessBody(result));
  }

  @Test
  void argumentsAreCheckedBeforeTheyReachTheBindings() {
    FakeBindings bindings = new FakeBindings();
    ExecutionResult result = runtime.run(TestRequest.asyncHandler("""
        const outcome = async (call) => {
          try { await call(); return 'ok'; } catch (e) { return e.name; }
        };
        const big = 'v'.repeat(1024 * 1024 + 1);
        return {statusCode: 200, body: [
          await outcome(() => cs.kv.get(42)),
          await outcome(() => cs.kv.get('')),
          await outcome(() => cs.kv.get('k'.repeat(513))),
          await outcome(() => cs.kv.get('é'.repeat(257))),
          await outcome(() => cs.kv.set('k', {})),
          await outcome(() => cs.kv.set('k', big)),
          await outcome(() => cs.codeq.publish('topic', big)),
          await outcome(() => cs.codeq.publish('topic', () => 1)),
          await outcome(() => cs.codeq.publish('', 'm')),
          await outcome(() => cs.http.fetch(42)),
          await outcome(() => cs.http.fetch('https://example.com/', {method: 'G E T'})),
          await outcome(() => cs.http.fetch('https://example.com/', {headers: {'x-a': 1}})),
          await outcome(() => cs.http.fetch('https://example.com/', {headers: {'x-a': 'a\\r\\nb'}})),
          await outcome(() => cs.http.fetch('https://example.com/', {body: 42})),
          await outcome(() => cs.http.fetch('https://example.com/', {body: 'b'.repeat(6 * 1024 * 1024 + 1)})),
        ].join()};
        """).bindings(bindings));

    assertEquals("TypeError,RangeError,RangeError,RangeError,TypeError,RangeError,RangeError,TypeError,RangeError,"
        + "TypeError,TypeError,TypeError,TypeError,TypeError,RangeError", assertSuccessBody(result));
    assertEquals(List.of(), bindings.calls);
  }

  @Test
  void tooManyPendingCallsAreRefused() {
    FakeBindings bindings = new FakeBindings() {
      @Override
      public CompletionStage<String> kvGet(String key) {
        return new CompletableFuture<>();
      }
    };
    ExecutionResult result = runtime.run(TestRequest.asyncHandler("""
        const calls = [];
        for (let i = 0; i < 300; i++) calls.push(cs.kv.get('k' + i).then(() => 'ok', (e) => e.name));
        const first = await Promise.race(calls);
        return {statusCode: 200, body: first};
        """).bindings(bindings));

    assertEquals("RangeError", assertSuccessBody(result));
  }

  @Test
  void codeqPublishesStringsAsTheyAreAndOtherValuesAsJson() {
    FakeBindings bindings = new FakeBindings();
    ExecutionResult result = runtime.run(TestRequest.asyncHandler("""
        await cs.codeq.publish('orders', 'plain text');
        await cs.codeq.publish('orders', {id: 7, items: ['a']});
        return {statusCode: 200};
        """).bindings(bindings));

    assertSuccessBody(result);
    assertEquals(List.of("codeqPublish orders plain text", "codeqPublish orders {\"id\":7,\"items\":[\"a\"]}"),
        bindings.calls);
  }

  @Test
  void fetchSendsTheRequestAndExposesTheResponse() {
    FakeBindings bindings = new FakeBindings();
    bindings.fetchAnswer = new HostFetchResponse(201,
        Map.of("Content-Type", List.of("application/json"), "Set-Cookie", List.of("a=1", "b=2")),
        "{\"greeting\":\"héllo\"}".getBytes(StandardCharsets.UTF_8), "https://api.example.com/final");
    ExecutionResult result = runtime.run(TestRequest.asyncHandler("""
        const response = await cs.http.fetch('https://api.example.com/start', {
          method: 'post',
          headers: {'Content-Type': 'application/json', 'X-Trace': 'abc'},
          body: JSON.stringify({q: 'ü'}),
        });
        const json = await response.json();
        const text = await response.text();
        const bytes = await response.bytes();
        const buffer = await response.arrayBuffer();
        return {statusCode: 200, body: JSON.stringify({
          status: response.status, ok: response.ok, url: response.url,
          type: response.headers['content-type'], cookies: response.headers['set-cookie'],
          greeting: json.greeting, textLength: text.length, byteLength: bytes.length,
          bufferLength: buffer.byteLength, firstByte: bytes[0], isBuffer: buffer instanceof ArrayBuffer,
        })};
        """).bindings(bindings).timeoutMs(20_000));

    assertEquals("{\"status\":201,\"ok\":true,\"url\":\"https://api.example.com/final\","
        + "\"type\":\"application/json\",\"cookies\":\"a=1, b=2\",\"greeting\":\"héllo\",\"textLength\":20,"
        + "\"byteLength\":21,\"bufferLength\":21,\"firstByte\":123,\"isBuffer\":true}", assertSuccessBody(result));
    HostFetchRequest sent = bindings.fetches.get(0);
    assertEquals("https://api.example.com/start", sent.url());
    assertEquals("POST", sent.method());
    assertEquals(Map.of("content-type", "application/json", "x-trace", "abc"), sent.headers());
    assertArrayEquals("{\"q\":\"ü\"}".getBytes(StandardCharsets.UTF_8), sent.body());
    // the binding learns how long the activation has left, so the fetch cannot outlive it
    assertTrue(sent.remainingMs() > 0 && sent.remainingMs() <= 20_000, () -> "remainingMs " + sent.remainingMs());
  }

  @Test
  void fetchSendsBinaryBodies() {
    FakeBindings bindings = new FakeBindings();
    ExecutionResult result = runtime.run(TestRequest.asyncHandler("""
        const bytes = new Uint8Array([0, 1, 2, 253, 254, 255, 9, 9]);
        await cs.http.fetch('https://example.com/a', {method: 'PUT', body: bytes.subarray(1, 6)});
        await cs.http.fetch('https://example.com/b', {method: 'PUT', body: bytes.buffer});
        await cs.http.fetch('https://example.com/c');
        return {statusCode: 200};
        """).bindings(bindings));

    assertSuccessBody(result);
    assertArrayEquals(new byte[] {1, 2, (byte) 253, (byte) 254, (byte) 255}, bindings.fetches.get(0).body());
    assertArrayEquals(new byte[] {0, 1, 2, (byte) 253, (byte) 254, (byte) 255, 9, 9}, bindings.fetches.get(1).body());
    assertEquals("GET", bindings.fetches.get(2).method());
    assertArrayEquals(new byte[0], bindings.fetches.get(2).body());
  }

  @Test
  void cadenceHeartbeatExistsOnlyForCadenceActivities() {
    FakeBindings bindings = new FakeBindings();
    String probe = """
        const present = typeof cs.cadence === 'object' && 'cadence' in cs;
        if (present) await cs.cadence.heartbeat({progress: 3});
        return {statusCode: 200, body: String(present)};
        """;

    assertEquals("false", assertSuccessBody(runtime.run(TestRequest.asyncHandler(probe).bindings(bindings))));
    assertEquals("false", assertSuccessBody(runtime.run(TestRequest.asyncHandler(probe).bindings(bindings)
        .triggerType("schedule"))));
    // a Cadence activity's return value is its result, any JSON value: here the object itself, as JSON
    assertEquals("{\"statusCode\":200,\"body\":\"true\"}", assertSuccessBody(runtime.run(TestRequest.asyncHandler(probe)
        .bindings(bindings).triggerType("cadence"))));
    assertEquals(List.of("cadenceHeartbeat {\"progress\":3}"), bindings.calls);
  }

  @Test
  void aCadenceActivityReturnsAnyJsonValueAndOneJsonCannotExpressIsAnInvalidResponse() {
    assertEquals("[1,\"two\",null]", assertSuccessBody(runtime.run(TestRequest.asyncHandler("return [1, 'two', null];")
        .triggerType("cadence"))));
    assertEquals("null", assertSuccessBody(runtime.run(TestRequest.asyncHandler("return undefined;")
        .triggerType("cadence"))));
    ExecutionResult bigint = runtime.run(TestRequest.asyncHandler("return 10n;").triggerType("cadence"));
    assertEquals(ExecutionStatus.ERROR, bigint.status());
    assertTrue(bigint.errorMessage().startsWith("invalid response: an activity result must be JSON-serializable"),
        bigint.errorMessage());
  }

  @Test
  void aNonRetryableErrorIsAnErrorNamedForWhatItAsks() {
    ExecutionResult result = runtime.run(TestRequest.asyncHandler("throw new cs.NonRetryableError('no such account');")
        .triggerType("cadence"));
    assertEquals(ExecutionStatus.ERROR, result.status());
    assertEquals("NonRetryableError: no such account", result.errorMessage());
  }

  @Test
  void ctxIsUnchangedAndCsIsFrozen() {
    ExecutionResult result = runtime.run(TestRequest.asyncHandler("""
        'use strict';
        const frozen = [cs, cs.kv, cs.codeq, cs.http].every(Object.isFrozen);
        let replaced;
        try { cs.kv.get = () => 'mine'; replaced = 'yes'; } catch (e) { replaced = e.name; }
        return {statusCode: 200, body: [Object.keys(ctx).join(), Object.keys(cs).join(), frozen, replaced].join('|')};
        """));

    assertEquals("activationId,requestId,tenant,namespace,function,trigger,traceparent,tracestate,deadlineMs,secrets,"
        + "env,remainingMs|"
        + "log,kv,codeq,http|true|TypeError", assertSuccessBody(result));
  }

  @Test
  void callsOfConcurrentActivationsStayWithTheirOwnActivation() throws Exception {
    FakeBindings bindings = new FakeBindings() {
      @Override
      public CompletionStage<String> kvGet(String key) {
        return CompletableFuture.supplyAsync(() -> "value-of-" + key,
            CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
      }
    };
    List<CompletableFuture<ExecutionResult>> runs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String key = "key" + i;
      runs.add(CompletableFuture.supplyAsync(() -> runtime.run(TestRequest.asyncHandler(
          "return {statusCode: 200, body: await cs.kv.get('" + key + "')};").bindings(bindings))));
    }
    for (int i = 0; i < runs.size(); i++) {
      assertEquals("value-of-key" + i, assertSuccessBody(runs.get(i).get()));
    }
  }
}
