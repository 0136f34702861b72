package io.codesous.runtime;

import static io.codesous.runtime.Results.assertRuntimeError;
import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A promise rejected and never handled during the activation ends it as an error, whatever the handler returns. */
class PromiseRejectionTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  @Test
  void unhandledRejectionFailsAnActivationThatReturnedAValidResponse() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        function forgotten() {
          Promise.reject(new Error('lost write'));
        }
        export function handler() {
          forgotten();
          return {statusCode: 200, body: 'looks fine'};
        }
        """));

    assertRuntimeError(result, "unhandled promise rejection: Error: lost write");
    assertEquals("unhandled promise rejection: Error: lost write", result.errorMessage());
    assertTrue(result.errorStack().contains("at forgotten (index.mjs:2"), result.errorStack());
  }

  @Test
  void unawaitedAsyncFunctionThatThrowsIsUnhandled() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        async function background() {
          await null;
          throw new TypeError('late failure');
        }
        export async function handler() {
          background();
          await null;
          await null;
          return {statusCode: 200};
        }
        """));

    assertRuntimeError(result, "unhandled promise rejection: TypeError: late failure");
  }

  @Test
  void rejectionWithANonErrorValueGivesItsStringForm() {
    ExecutionResult result = runtime.run(TestRequest.handler("Promise.reject('plain'); return {statusCode: 200};"));

    assertEquals("unhandled promise rejection: plain", assertRuntimeError(result, "").errorMessage());
    assertNull(result.errorStack());
  }

  @Test
  void rejectionAtModuleTopLevelIsUnhandled() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        Promise.reject(new Error('at load'));
        export const handler = () => ({statusCode: 200});
        """));

    assertRuntimeError(result, "unhandled promise rejection: Error: at load");
  }

  @Test
  void unhandledRejectionEndsAnActivationThatWouldOtherwiseWaitForever() {
    ExecutionResult result = runtime.run(TestRequest.handler(
        "Promise.reject(new Error('first')); return new Promise(() => {});").timeoutMs(30_000));

    assertRuntimeError(result, "unhandled promise rejection: Error: first");
  }

  @Test
  void onlyTheFirstUnhandledRejectionIsReported() {
    ExecutionResult result = runtime.run(TestRequest.handler(
        "Promise.reject(new Error('one')); Promise.reject(new Error('two')); return {statusCode: 200};"));

    assertEquals("unhandled promise rejection: Error: one", assertRuntimeError(result, "").errorMessage());
  }

  @Test
  void rejectionsHandledBeforeTheJobQueueEmptiesAreFine() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        export async function handler() {
          const caught = Promise.reject(new Error('caught')).catch(() => 'recovered');
          const late = Promise.reject(new Error('handled a tick later'));
          await null;
          late.catch(() => {});
          const settled = await Promise.allSettled([Promise.reject(new Error('settled'))]);
          try {
            await Promise.reject(new Error('awaited'));
          } catch (e) {
            // handled
          }
          return {statusCode: 200, body: (await caught) + ' ' + settled[0].status};
        }
        """));

    assertEquals("recovered rejected", assertSuccessBody(result));
  }

  @Test
  void theHandlersOwnRejectionIsAnOrdinaryError() {
    ExecutionResult result = runtime.run(TestRequest.handler("return Promise.reject(new Error('mine'));"));

    assertEquals("Error: mine", assertRuntimeError(result, "").errorMessage());
  }

  @Test
  void logsBeforeTheUnhandledRejectionAreKept() {
    ExecutionResult result = runtime.run(TestRequest.handler(
        "console.log('before'); Promise.reject(new Error('x')); return {statusCode: 200};"));

    assertRuntimeError(result, "unhandled promise rejection");
    assertEquals(List.of("before"), result.logs().stream().map(LogEntry::message).toList());
  }
}
