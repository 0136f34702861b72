package io.codesous.platform;

import com.uber.cadence.EventType;
import com.uber.cadence.GetWorkflowExecutionHistoryRequest;
import com.uber.cadence.HistoryEvent;
import com.uber.cadence.WorkflowExecution;
import com.uber.cadence.client.WorkflowClient;
import com.uber.cadence.client.WorkflowOptions;
import com.uber.cadence.client.WorkflowStub;
import io.codesous.cadence.CadencePoller;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.codesous.platform.EmbeddedPlatformTest.NS;
import static io.codesous.platform.EmbeddedPlatformTest.POLL_BOUND_MS;
import static io.codesous.platform.EmbeddedPlatformTest.activationId;
import static io.codesous.platform.EmbeddedPlatformTest.awaitActivation;
import static io.codesous.platform.EmbeddedPlatformTest.deploy;
import static io.codesous.platform.EmbeddedPlatformTest.limits;
import static io.codesous.platform.EmbeddedPlatformTest.pollUntil;
import static io.codesous.platform.EmbeddedPlatformTest.source;
import static io.codesous.platform.EmbeddedPlatformTest.unique;
import static io.codesous.platform.EmbeddedPlatformTest.web;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cancels that reach an activation before it runs. A function with {@code maxConcurrency} 1 keeps a second activation
 * waiting for its slot, before any invoker claimed it (it has no record yet); one sandbox worker keeps an activation
 * of another function claimed but waiting for the worker. Either way the cancelled activation never runs: it ends
 * {@code cancelled} with no attempt, or with its attempt ended before the sandbox.
 */
class CadenceQueuedCancelTest extends CadencePlatformFixture {

  static final String NOT_STARTED = "cancelled before it started";

  @Override
  PlatformOptions adjust(PlatformOptions options) {
    options.getInvoker().setWorkerPoolSize(1);
    return options;
  }

  /** A function running one activation at a time, each for the input's {@code holdMs}. */
  Served oneAtATime() {
    return serve("""
        export const handler = async (event) => {
          await new Promise((resolve) => setTimeout(resolve, event.input.json.holdMs));
          return 'held ' + event.input.json.holdMs;
        };
        """, limits(new JsonObject().put("timeoutMs", 30_000).put("maxConcurrency", 1)), new JsonObject());
  }

  /** Starts a workflow whose activity holds the function's only slot, and waits until it runs. */
  CompletableFuture<String> holdTheSlot(Served served, int holdMs) throws InterruptedException {
    CompletableFuture<String> holder = start(new SousWorkflow.Plan(served.tasklist(), Map.of("holdMs", holdMs)));
    HttpResponse<String> running = pollUntil(() -> http.get(NS + "/functions/" + served.function() + "/activations"),
        r -> r.statusCode() == 200 && TestHttp.json(r).getJsonArray("activations").stream()
            .anyMatch(a -> "running".equals(((JsonObject) a).getString("status"))), POLL_BOUND_MS);
    assertEquals(1, TestHttp.json(running).getJsonArray("activations").size(), running.body());
    return holder;
  }

  @Test
  void aWorkflowCancellingAnActivityThatWaitsForItsSlotEndsItsActivationCancelledWithoutRunningIt()
      throws Exception {
    Served served = oneAtATime();
    CompletableFuture<String> holder = holdTheSlot(served, 6_000);
    String outcome = start(new SousWorkflow.Plan(served.tasklist(), Map.of("holdMs", 1))
        .heartbeatTimeout(2).cancelAfter(1_000)).get(60, TimeUnit.SECONDS);
    assertEquals("cancelled", outcome);
    assertFalse(holder.isDone(), "the cancel came while the first activity still held the slot");
    JsonArray listed = activations(served.function());
    JsonObject cancelled = listed.stream().map(a -> (JsonObject) a)
        .filter(a -> "cancelled".equals(a.getString("status"))).findFirst().orElseThrow(() -> new AssertionError(listed.encode()));
    JsonObject record = awaitActivation(http, cancelled.getString("activation_id"), "cancelled");
    assertEquals("CS_CANCELLED", record.getJsonObject("error").getString("code"), record.encode());
    assertEquals(NOT_STARTED, record.getJsonObject("error").getString("message"), record.encode());
    assertNull(record.getJsonArray("attempts"), "no invoker ever claimed it: " + record.encode());
    assertEquals("ok held 6000", holder.get(60, TimeUnit.SECONDS));
    // the invoker took the cancelled request once the slot was free, found it ended, and did not run it
    assertNull(awaitActivation(http, cancelled.getString("activation_id"), "cancelled").getJsonArray("attempts"));
  }

  @Test
  void theCancelEndpointCancelsACadenceActivationNoInvokerHasClaimedYet() throws Exception {
    Served served = oneAtATime();
    CompletableFuture<String> holder = holdTheSlot(served, 6_000);
    SousWorkflow workflow = client.newWorkflowStub(SousWorkflow.class, new WorkflowOptions.Builder()
        .setTaskList(WORKFLOWS).setExecutionStartToCloseTimeout(Duration.ofSeconds(60)).build());
    CompletableFuture<String> waiting = WorkflowClient.execute(workflow::run,
        new SousWorkflow.Plan(served.tasklist(), Map.of("holdMs", 1)));
    WorkflowExecution execution = WorkflowStub.fromTyped(workflow).getExecution();
    String id = CadencePoller.activationId(DOMAIN, execution.getWorkflowId(), execution.getRunId(),
        scheduledActivityId(execution), 1);
    // 404 until the poller took the task and recorded it in the token map
    HttpResponse<String> cancel = pollUntil(() -> http.postJson(NS + "/activations/" + id + "/cancel",
        new JsonObject()), r -> r.statusCode() != 404, POLL_BOUND_MS);
    assertEquals(202, cancel.statusCode(), cancel.body());
    assertEquals("cancelled", TestHttp.json(cancel).getString("status"), cancel.body());
    JsonObject record = awaitActivation(http, id, "cancelled");
    assertEquals(NOT_STARTED, record.getJsonObject("error").getString("message"), record.encode());
    assertFalse(holder.isDone(), "the cancel came while the first activity still held the slot");
    assertEquals("ok held 6000", holder.get(60, TimeUnit.SECONDS));
    // once the slot is free the invoker publishes the cancelled result, and the poller answers Cadence with it: the
    // workflow did not ask for the cancel, so its activity fails with the reason cancelled
    assertEquals("failed java.lang.ClassNotFoundException cancelled", waiting.get(60, TimeUnit.SECONDS));
    assertNull(awaitActivation(http, id, "cancelled").getJsonArray("attempts"), "the function never ran");
  }

  @Test
  void aCancelForAnActivationClaimedButWaitingForASandboxWorkerEndsItBeforeItRuns() throws Exception {
    String blocker = unique("blocker");
    deploy(http, blocker, source("""
        export const handler = async () => {
          const until = Date.now() + 4000;
          while (Date.now() < until) {}
          return { statusCode: 200, body: 'busy' };
        };
        """), limits(new JsonObject().put("timeoutMs", 30_000)), "prod");
    String waiter = unique("waiter");
    deploy(http, waiter, source("export const handler = async () => ({ statusCode: 200, body: 'ran' });"), null,
        "prod");
    String busy = activationId(http.send("POST", web(blocker, "prod"), "text/plain", "x", Map.of("x-cs-async", "true")));
    awaitActivation(http, busy, "running");
    String id = activationId(http.send("POST", web(waiter, "prod"), "text/plain", "x", Map.of("x-cs-async", "true")));
    // claimed (running, with its attempt) while the only sandbox worker is busy
    awaitActivation(http, id, "running");
    HttpResponse<String> cancel = http.postJson(NS + "/activations/" + id + "/cancel", new JsonObject());
    assertEquals(202, cancel.statusCode(), cancel.body());
    assertEquals("running", awaitActivation(http, busy, "running").getString("status"),
        "the worker was still busy when the cancel came");
    JsonObject record = awaitActivation(http, id, "cancelled");
    assertEquals("CS_CANCELLED", record.getJsonObject("error").getString("code"), record.encode());
    assertEquals(NOT_STARTED, record.getJsonObject("error").getString("message"), record.encode());
    assertEquals("success", awaitActivation(http, busy, "success").getString("status"));
  }

  /** The id Cadence gave the activity the workflow scheduled. */
  String scheduledActivityId(WorkflowExecution execution) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_BOUND_MS);
    while (System.nanoTime() < deadline) {
      for (HistoryEvent event : cadence.GetWorkflowExecutionHistory(new GetWorkflowExecutionHistoryRequest()
          .setDomain(DOMAIN).setExecution(execution)).getHistory().getEvents()) {
        if (event.getEventType() == EventType.ActivityTaskScheduled) {
          return event.getActivityTaskScheduledEventAttributes().getActivityId();
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the workflow scheduled no activity");
  }
}
