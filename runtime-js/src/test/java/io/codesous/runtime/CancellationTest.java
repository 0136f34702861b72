package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A running activation stops when it is cancelled by id, and its thread goes on to the next one. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CancellationTest {

  private static JsRuntime runtime;
  private static ExecutorService worker;

  @BeforeAll
  static void startRuntime() {
    runtime = new JsRuntime(new RuntimeOptions());
    worker = Executors.newSingleThreadExecutor();
    assertSuccessBody(runtime.execute(TestRequest.handler("return {statusCode: 200};").build()));
  }

  @AfterAll
  static void closeRuntime() {
    worker.shutdownNow();
    runtime.close();
  }

  private static InvocationInfo info(String activationId) {
    return new InvocationInfo(activationId, "req-" + activationId, "acme", "default", "hello", 3, "http", null);
  }

  @Test
  void aLoopingActivationEndsCancelledAndItsThreadRunsTheNextOne() throws Exception {
    CompletableFuture<ExecutionResult> result = CompletableFuture.supplyAsync(() -> runtime.execute(
        TestRequest.handler("while (true) {}").info(info("act-loop")).build()), worker);

    // The activation registers when it starts; cancel until it is seen running.
    while (!runtime.cancel("acme", "default", "act-loop")) {
      assertFalse(result.isDone(), "the loop ended by itself");
      Thread.sleep(10);
    }

    ExecutionResult ended = result.get(30, TimeUnit.SECONDS);
    assertEquals(ExecutionStatus.CANCELLED, ended.status());
    assertEquals(ErrorCodes.CS_CANCELLED, ended.errorCode());
    assertEquals("the activation was cancelled", ended.errorMessage());
    assertEquals("next", assertSuccessBody(CompletableFuture.supplyAsync(() -> runtime.execute(
        TestRequest.handler("return {statusCode: 200, body: 'next'};").build()), worker).get(30, TimeUnit.SECONDS)));
  }

  @Test
  void anActivationThatIsNotRunningIsNotCancelled() {
    assertFalse(runtime.cancel("acme", "default", "act-unknown"));
    assertSuccessBody(runtime.execute(TestRequest.handler("return {statusCode: 200};").info(info("act-done")).build()));
    assertFalse(runtime.cancel("acme", "default", "act-done"));
  }

  @Test
  void anotherTenantCannotCancelAnActivation() throws Exception {
    CompletableFuture<ExecutionResult> result = CompletableFuture.supplyAsync(() -> runtime.execute(
        TestRequest.handler("const end = Date.now() + 300; while (Date.now() < end) {} return {statusCode: 200};")
            .info(info("act-own")).build()), worker);
    // Cancels naming another tenant or namespace, sent all the while it runs, leave it to succeed.
    while (!result.isDone()) {
      runtime.cancel("globex", "default", "act-own");
      runtime.cancel("acme", "other", "act-own");
      Thread.sleep(10);
    }
    assertEquals(ExecutionStatus.SUCCESS, result.get().status());
  }

  @Test
  void anActivationWaitingOnAPromiseIsCancelledToo() throws Exception {
    CompletableFuture<ExecutionResult> result = CompletableFuture.supplyAsync(() -> runtime.execute(
        TestRequest.asyncHandler("await new Promise(() => {});").info(info("act-wait")).build()), worker);
    while (!runtime.cancel("acme", "default", "act-wait")) {
      Thread.sleep(10);
    }
    assertEquals(ExecutionStatus.CANCELLED, result.get(30, TimeUnit.SECONDS).status());
    assertTrue(result.isDone());
  }
}
