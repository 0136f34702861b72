package io.codesous.runtime;

import static io.codesous.runtime.Results.assertRuntimeError;
import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** node:async_hooks: AsyncLocalStorage and AsyncResource on the engine's async context, as Workers has them. */
class NodeAsyncHooksTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  @Test
  void aStoreSetWithRunIsThereAfterEveryAwaitAndInTheTimersAndTicksItStartsAndNowhereElse() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { AsyncLocalStorage } from 'node:async_hooks';
        const requests = new AsyncLocalStorage();
        const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
        async function work(tag, delay) {
          const seen = [requests.getStore()];
          await null;
          seen.push(requests.getStore());
          await sleep(delay);
          seen.push(requests.getStore());
          seen.push(await new Promise((resolve) => setTimeout(() => resolve(requests.getStore()), 1)));
          seen.push(await new Promise((resolve) => queueMicrotask(() => resolve(requests.getStore()))));
          seen.push(await new Promise((resolve) => process.nextTick(() => resolve(requests.getStore()))));
          seen.push(await new Promise((resolve) => {
            const id = setInterval(() => { clearInterval(id); resolve(requests.getStore()); }, 1);
          }));
          return tag + ':' + seen.join('/');
        }
        export const handler = async () => {
          // interleaved: the slower one's awaits resume after the faster one's have set their store
          const both = await Promise.all([requests.run('a', work, 'one', 8), requests.run('b', work, 'two', 1)]);
          return {statusCode: 200, body: [...both, 'outside:' + requests.getStore(), typeof AsyncContext].join()};
        };
        """));

    assertEquals("one:a/a/a/a/a/a/a,two:b/b/b/b/b/b/b,outside:undefined,undefined", assertSuccessBody(result));
  }

  @Test
  void exitNestedRunsBindSnapshotAndAsyncResourceRunInTheContextsNodeRunsThemIn() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
        import hooks from 'async_hooks';
        const als = new AsyncLocalStorage();
        export const handler = () => {
          const seen = [];
          als.run(1, () => {
            seen.push(als.getStore());
            als.run(2, () => seen.push(als.getStore()));
            seen.push(als.getStore());
            als.exit(() => seen.push(String(als.getStore())));
            const bound = AsyncLocalStorage.bind(() => als.getStore());
            const snapshot = AsyncLocalStorage.snapshot();
            const resource = new AsyncResource('job');
            const method = resource.bind(function (suffix) { return als.getStore() + this.prefix + suffix; },
                {prefix: '-'});
            als.run(3, () => seen.push(bound(), snapshot(() => als.getStore()),
                resource.runInAsyncScope(() => als.getStore()), method('x'), als.getStore()));
          });
          const disabled = new AsyncLocalStorage();
          const afterDisable = disabled.run('d', () => { disabled.disable(); return String(disabled.getStore()); });
          return {statusCode: 200, body: JSON.stringify([seen, afterDisable, hooks.AsyncResource === AsyncResource,
            new AsyncLocalStorage({defaultValue: 'default'}).getStore(), new AsyncLocalStorage({name: 'req'}).name,
            AsyncResource.bind(function named() {}).asyncResource instanceof AsyncResource])};
        };
        """));

    assertEquals("[[1,2,1,\"undefined\",1,1,1,\"1-x\",3],\"undefined\",true,\"default\",\"req\",true]",
        assertSuccessBody(result));
  }

  @Test
  void enterWithAndArgumentsThatAreNotFunctionsAreRefusedWithNodesCodes() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
        const als = new AsyncLocalStorage();
        function failure(call) {
          try { call(); return 'no error'; } catch (e) { return e.name + ' ' + e.code; }
        }
        export const handler = () => ({statusCode: 200, body: JSON.stringify([
          failure(() => als.enterWith({})), failure(() => als.run(1, 'not a function')),
          failure(() => new AsyncResource(7)), failure(() => AsyncLocalStorage.bind(null)),
        ])});
        """));

    assertEquals("[\"Error ERR_METHOD_NOT_IMPLEMENTED\",\"TypeError ERR_INVALID_ARG_TYPE\","
        + "\"TypeError ERR_INVALID_ARG_TYPE\",\"TypeError ERR_INVALID_ARG_TYPE\"]", assertSuccessBody(result));
  }

  @Test
  void aStoreOfOneWarmActivationIsNotThereInTheNext() {
    String module = """
        import { AsyncLocalStorage } from 'node:async_hooks';
        const als = new AsyncLocalStorage();
        let calls = 0;
        export const handler = async () => {
          calls++;
          const before = String(als.getStore());
          const inside = await als.run('call ' + calls, async () => { await null; return als.getStore(); });
          return {statusCode: 200, body: [calls, before, inside].join()};
        };
        """;
    try (JsRuntime warm = new JsRuntime(new RuntimeOptions())) {
      assertEquals("1,undefined,call 1", assertSuccessBody(warm.execute(
          TestRequest.entry(module).bundleId("als").warm().build())));
      assertEquals("2,undefined,call 2", assertSuccessBody(warm.execute(
          TestRequest.entry(module).bundleId("als").warm().build())));
    }
  }

  @Test
  void nodesLowerLevelHooksAreNotThereAndAnImportOfThemFailsNamingTheExport() {
    ExecutionResult result = runtime.run(TestRequest.entry(
        "import { createHook } from 'node:async_hooks'; export const handler = () => ({statusCode: 200});"));

    assertRuntimeError(result, "createHook");
  }
}
