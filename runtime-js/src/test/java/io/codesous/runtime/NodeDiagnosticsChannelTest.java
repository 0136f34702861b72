package io.codesous.runtime;

import static io.codesous.runtime.Results.assertRuntimeError;
import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** node:diagnostics_channel: channels, bound stores and tracing channels as Node.js runs them. */
class NodeDiagnosticsChannelTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  @Test
  void subscribersGetWhatIsPublishedUntilTheyUnsubscribe() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import dc, { channel, subscribe, unsubscribe, hasSubscribers, Channel } from 'node:diagnostics_channel';
        export const handler = () => {
          const seen = [];
          const requests = channel('app:requests');
          const before = [requests.hasSubscribers, hasSubscribers('app:requests')];
          const listener = (message, name) => seen.push(name + '=' + message.id);
          subscribe('app:requests', listener);
          requests.publish({id: 1});
          const removed = [unsubscribe('app:requests', listener), unsubscribe('app:requests', listener)];
          requests.publish({id: 2});
          return {statusCode: 200, body: JSON.stringify([before, hasSubscribers('app:requests'), seen, removed,
            channel('app:requests') === requests, requests instanceof Channel, dc.channel === channel,
            hasSubscribers('never made')])};
        };
        """));

    assertEquals("[[false,false],false,[\"app:requests=1\"],[true,false],true,true,true,false]",
        assertSuccessBody(result));
  }

  @Test
  void aSubscribersErrorReachesNeitherThePublisherNorTheOtherSubscribersAndEndsTheActivationAsUncaught() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { channel } from 'node:diagnostics_channel';
        export const handler = () => {
          const seen = [];
          const events = channel('app:events');
          events.subscribe(() => { throw new Error('a subscriber failed'); });
          events.subscribe((message) => seen.push(message));
          events.publish('after the failing one');
          console.log('published to ' + seen.join());
          return {statusCode: 200};
        };
        """));

    assertRuntimeError(result, "a subscriber failed");
    assertEquals(true, result.logs().toString().contains("published to after the failing one"),
        result.logs().toString());
  }

  @Test
  void runStoresEntersEveryBoundStoreThenPublishesThenRunsTheFunction() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { channel } from 'node:diagnostics_channel';
        import { AsyncLocalStorage } from 'node:async_hooks';
        const spans = new AsyncLocalStorage();
        const queries = channel('db:query');
        queries.bindStore(spans, (query) => 'span of ' + query.sql);
        export const handler = async () => {
          const seen = [];
          queries.subscribe((query) => seen.push('published ' + query.sql + ' in ' + spans.getStore()));
          const answer = await queries.runStores({sql: 'select 1'}, async function (x) {
            await null;
            return [this.name, x, spans.getStore()].join('|');
          }, {name: 'db'}, 'arg');
          const unbound = [queries.unbindStore(spans), queries.unbindStore(spans)];
          return {statusCode: 200, body: JSON.stringify([seen, answer, unbound, String(spans.getStore())])};
        };
        """));

    assertEquals("[[\"published select 1 in span of select 1\"],\"db|arg|span of select 1\",[true,false],"
        + "\"undefined\"]", assertSuccessBody(result));
  }

  @Test
  void aTracingChannelPublishesStartEndAndTheAsyncEventsOfSyncPromiseAndCallbackCalls() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { tracingChannel } from 'node:diagnostics_channel';
        const tracing = tracingChannel('app:work');
        export const handler = async () => {
          const seen = [];
          const untraced = tracing.traceSync(() => 'untraced');
          const handlers = {};
          for (const event of ['start', 'end', 'asyncStart', 'asyncEnd', 'error']) {
            handlers[event] = (context) => seen.push(event + ':' + context.call
                + (context.result !== undefined ? '=' + context.result : '')
                + (context.error !== undefined ? '!' + context.error.message : ''));
          }
          tracing.subscribe(handlers);
          const sync = tracing.traceSync((a, b) => a + b, {call: 'sync'}, undefined, 1, 2);
          let thrown;
          try {
            tracing.traceSync(() => { throw new Error('boom'); }, {call: 'throws'});
          } catch (e) {
            thrown = e.message;
          }
          const promised = await tracing.tracePromise(async (x) => x * 2, {call: 'promise'}, undefined, 21);
          const rejected = await tracing.tracePromise(async () => { throw new Error('no'); }, {call: 'rejects'})
              .catch((e) => e.message);
          const called = await new Promise((resolve) => tracing.traceCallback((value, callback) => {
            setTimeout(() => callback(null, value + '!'), 1);
          }, -1, {call: 'callback'}, undefined, 'v', (error, value) => resolve(value)));
          const unsubscribed = tracing.unsubscribe(handlers);
          return {statusCode: 200, body: JSON.stringify([untraced, sync, thrown, promised, rejected, called,
            unsubscribed, tracing.hasSubscribers, seen])};
        };
        """));

    assertEquals("[\"untraced\",3,\"boom\",42,\"no\",\"v!\",true,false,[\"start:sync\",\"end:sync=3\","
        + "\"start:throws\",\"error:throws!boom\",\"end:throws!boom\",\"start:promise\",\"end:promise\","
        + "\"asyncStart:promise=42\",\"asyncEnd:promise=42\",\"start:rejects\",\"end:rejects\","
        + "\"error:rejects!no\",\"asyncStart:rejects!no\",\"asyncEnd:rejects!no\",\"start:callback\","
        + "\"end:callback\",\"asyncStart:callback=v!\",\"asyncEnd:callback=v!\"]]", assertSuccessBody(result));
  }
}
