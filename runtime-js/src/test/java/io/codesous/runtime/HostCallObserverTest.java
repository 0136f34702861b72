package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static io.codesous.runtime.Results.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The observer the bindings name sees each capability call that reaches them, once, with how it ended, and gives a
 * fetch the headers it carries onward.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HostCallObserverTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  /** Records "started op" and "ended op outcome" in order; every fetch carries a traceparent of its own. */
  static final class RecordingObserver implements HostCallObserver {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public Call started(String op) {
      events.add("started " + op);
      return new Call() {
        @Override
        public Map<String, String> outgoingHeaders() {
          return Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        }

        @Override
        public void ended(String outcome) {
          events.add("ended " + op + " " + outcome);
        }
      };
    }
  }

  /** Bindings that answer as {@link HostBindingsTest.FakeBindings} do and name the recording observer. */
  static class ObservedBindings extends HostBindingsTest.FakeBindings {
    final RecordingObserver observer = new RecordingObserver();

    @Override
    public HostCallObserver observer() {
      return observer;
    }
  }

  @Test
  void everyCallThatReachesTheBindingsIsObservedFromStartToOutcome() {
    ObservedBindings bindings = new ObservedBindings() {
      @Override
      public CompletionStage<Boolean> kvDel(String key) {
        return CompletableFuture.failedFuture(new HostCallException(HostCallException.CAPABILITY_DENIED, "no"));
      }
    };
    ExecutionResult result = runtime.execute(TestRequest.asyncHandler("""
        await cs.kv.set('k', 'v');
        await cs.kv.get('k');
        await cs.kv.list('');
        try { await cs.kv.del('k'); } catch (e) { }
        try { await cs.kv.get('x'.repeat(600)); } catch (e) { }
        await cs.http.fetch('https://example.com/', {headers: {'x-mine': '1', traceparent: 'the function\\'s'}});
        return {statusCode: 200, body: 'done'};
        """).bindings(bindings).build());

    assertEquals("done", assertSuccessBody(result));
    assertEquals(List.of("started kv.set", "ended kv.set ok", "started kv.get", "ended kv.get ok",
        "started kv.list", "ended kv.list ok", "started kv.del", "ended kv.del CS_CAPABILITY_DENIED",
        "started http.fetch", "ended http.fetch ok"), bindings.observer.events,
        "the key over the size limit was refused by the runtime and never reached the bindings");
    assertEquals(Map.of("x-mine", "1", "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
        bindings.fetches.get(0).headers(), "the observer's trace context replaces the function's own");
  }

  @Test
  void aCallStillPendingWhenTheActivationEndsIsObservedAsCancelled() {
    ObservedBindings bindings = new ObservedBindings() {
      @Override
      public CompletionStage<String> kvGet(String key) {
        return new CompletableFuture<>();
      }
    };
    ExecutionResult result = runtime.execute(TestRequest.asyncHandler(
        "await cs.kv.get('never'); return {statusCode: 200};").bindings(bindings).timeoutMs(500).build());

    assertTimeout(result, 500);
    assertEquals(List.of("started kv.get", "ended kv.get cancelled"), bindings.observer.events);
  }
}
