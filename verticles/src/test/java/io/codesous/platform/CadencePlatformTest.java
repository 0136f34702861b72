package io.codesous.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.codesous.platform.EmbeddedPlatformTest.NS;
import static io.codesous.platform.EmbeddedPlatformTest.assertError;
import static io.codesous.platform.EmbeddedPlatformTest.awaitActivation;
import static io.codesous.platform.EmbeddedPlatformTest.deploy;
import static io.codesous.platform.EmbeddedPlatformTest.limits;
import static io.codesous.platform.EmbeddedPlatformTest.source;
import static io.codesous.platform.EmbeddedPlatformTest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Functions serving Cadence activities on the embedded platform: a real Java workflow, run by the Cadence client's
 * worker against the client's in-memory {@code TestWorkflowService}, calls {@code SousInvokeActivity}, and the
 * poller serves it with a JS function through the whole invocation path (cs.invoke, the invoker's sandbox,
 * cs.results).
 */
class CadencePlatformTest extends CadencePlatformFixture {

  @Test
  void aHeartbeatingFunctionKeepsAnActivityWithATwoSecondHeartbeatTimeoutAliveForSixSeconds() throws Exception {
    String tasklist = serve("""
        export const handler = async () => {
          const until = Date.now() + 6000;
          let beats = 0;
          while (Date.now() < until) {
            await cs.cadence.heartbeat({ beats: ++beats });
            await new Promise((resolve) => setTimeout(resolve, 300));
          }
          return 'worked ' + (beats > 10);
        };
        """, limits(new JsonObject().put("timeoutMs", 15_000)), new JsonObject()).tasklist();
    assertEquals("ok worked true", run(new SousWorkflow.Plan(tasklist, Map.of()).heartbeatTimeout(2)));
  }

  @Test
  void aThousandHeartbeatCallsReachCadenceAtNoMoreThanTheBindingsRate() throws Exception {
    String tasklist = serve("""
        export const handler = async () => {
          for (let i = 1; i <= 1000; i++) {
            await cs.cadence.heartbeat({ progress: i });
          }
          // the latest details leave when the rate allows: wait for them
          await new Promise((resolve) => setTimeout(resolve, 1200));
          return 'done';
        };
        """, limits(new JsonObject().put("timeoutMs", 20_000)),
        new JsonObject().put("heartbeat", new JsonObject().put("max_per_second", 2))).tasklist();
    int before = heartbeats.get();
    long start = System.nanoTime();
    assertEquals("ok done", run(new SousWorkflow.Plan(tasklist, Map.of())));
    double seconds = (System.nanoTime() - start) / 1e9;
    int recorded = heartbeats.get() - before;
    assertTrue(recorded >= 1, "no heartbeat reached Cadence");
    // at most 2 a second over the activity's life, plus the first, which goes out at once
    assertTrue(recorded <= Math.ceil(seconds * 2) + 1, recorded + " heartbeats in " + seconds + " s");
  }

  @Test
  void aDisabledBindingDoesNotPollUntilItIsEnabledAndAnEditTakesEffectWithoutARestart() throws Exception {
    Served first = serve("export const handler = async () => 'first';",
        new JsonObject().put("enabled", false));
    CompletableFuture<String> waiting = start(new SousWorkflow.Plan(first.tasklist(), Map.of()));
    Thread.sleep(1_500);
    assertFalse(waiting.isDone());
    assertEquals(0, activations(first.function()).size(), "a disabled binding takes no task");
    JsonObject binding = TestHttp.json(http.get(NS + "/bindings/" + first.tasklist()));
    assertFalse(binding.getBoolean("enabled"));
    binding.remove("created_at_ms");
    binding.remove("updated_at_ms");
    HttpResponse<String> enabled = http.putJson(NS + "/bindings/" + first.tasklist(), binding.put("enabled", true));
    assertEquals(200, enabled.statusCode(), enabled.body());
    assertEquals("ok first", waiting.get(30, TimeUnit.SECONDS));

    String second = unique("activity");
    deploy(http, second, source("export const handler = async () => 'second';"), null, "prod");
    binding.getJsonObject("activity_map").put(SousWorkflow.ACTIVITY,
        new JsonObject().put("function", second).put("alias", "prod"));
    HttpResponse<String> edited = http.putJson(NS + "/bindings/" + first.tasklist(), binding);
    assertEquals(200, edited.statusCode(), edited.body());
    // The poller applies the edit when the bindings' change announcement reaches it, after the answer: a task a
    // loop of the binding as it was had already taken still runs the function it named then.
    String answer = run(new SousWorkflow.Plan(first.tasklist(), Map.of()));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!"ok second".equals(answer) && System.nanoTime() < until) {
      assertEquals("ok first", answer);
      answer = run(new SousWorkflow.Plan(first.tasklist(), Map.of()));
    }
    assertEquals("ok second", answer);

    assertEquals(200, http.delete(NS + "/bindings/" + first.tasklist()).statusCode());
    assertError(http.get(NS + "/bindings/" + first.tasklist()), 404, "CS_NOT_FOUND");
  }

  @Test
  void aBindingRunsNoMoreActivitiesAtOnceThanItsInflightCap() throws Exception {
    Served served = serve("""
        export const handler = async () => {
          await new Promise((resolve) => setTimeout(resolve, 400));
          return 'slow';
        };
        """, new JsonObject().put("pollers", new JsonObject().put("activity", 3))
        .put("limits", new JsonObject().put("max_inflight_tasks", 1)));
    List<CompletableFuture<String>> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(start(new SousWorkflow.Plan(served.tasklist(), Map.of())));
    }
    for (CompletableFuture<String> run : runs) {
      assertEquals("ok slow", run.get(60, TimeUnit.SECONDS));
    }
    List<JsonObject> records = new ArrayList<>();
    activations(served.function()).forEach(a -> records.add(TestHttp.json(
        http.get(NS + "/activations/" + ((JsonObject) a).getString("activation_id")))));
    assertEquals(3, records.size());
    records.sort(Comparator.comparingLong(r -> r.getLong("start_ms")));
    for (int i = 1; i < records.size(); i++) {
      assertTrue(records.get(i).getLong("start_ms") >= records.get(i - 1).getLong("end_ms"),
          "activations overlapped: " + records);
    }
  }

  @Test
  void aWorkflowCancellingItsActivityStopsTheLoopingFunctionAndTheActivationEndsCancelled() throws Exception {
    Served served = serve("export const handler = async () => { while (true) {} };",
        limits(new JsonObject().put("timeoutMs", 120_000)), new JsonObject());
    // with a 2 s heartbeat timeout the poller heartbeats the quiet activity on its own, and so hears the cancel
    String outcome = start(new SousWorkflow.Plan(served.tasklist(), Map.of()).heartbeatTimeout(2).cancelAfter(1_500))
        .get(60, TimeUnit.SECONDS);
    assertEquals("cancelled", outcome);
    JsonArray listed = activations(served.function());
    assertEquals(1, listed.size(), listed.encode());
    // the record is written once the sandbox returned: its thread is free, 2 minutes before the function's timeout
    JsonObject ended = awaitActivation(http, listed.getJsonObject(0).getString("activation_id"), "cancelled");
    assertEquals("CS_CANCELLED", ended.getJsonObject("error").getString("code"), ended.encode());
  }

  @Test
  void theCancelEndpointStopsARunningActivationAndRefusesAnEndedOne() throws Exception {
    String fn = unique("loop");
    deploy(http, fn, source("export function handler() { while (true) {} }"),
        limits(new JsonObject().put("timeoutMs", 120_000)), "prod");
    HttpResponse<String> started = http.send("POST", EmbeddedPlatformTest.web(fn, "prod"), "text/plain", "x",
        Map.of("x-cs-async", "true"));
    String id = EmbeddedPlatformTest.activationId(started);
    awaitActivation(http, id, "running");
    HttpResponse<String> cancel = http.postJson(NS + "/activations/" + id + "/cancel", new JsonObject());
    assertEquals(202, cancel.statusCode(), cancel.body());
    assertTrue(TestHttp.json(cancel).getBoolean("cancel_requested"), cancel.body());
    JsonObject ended = awaitActivation(http, id, "cancelled");
    assertEquals("CS_CANCELLED", ended.getJsonObject("error").getString("code"), ended.encode());

    HttpResponse<String> again = http.postJson(NS + "/activations/" + id + "/cancel", new JsonObject());
    assertError(again, 409, "CS_CONFLICT");
    assertEquals("cancelled", TestHttp.json(again).getJsonObject("error").getJsonObject("details")
        .getString("status"), again.body());
    assertError(http.postJson(NS + "/activations/nope-" + id + "/cancel", new JsonObject()), 404, "CS_NOT_FOUND");
  }

  @Test
  void aTimeoutAboveTheOperatorsCapIsRefusedNamingTheField() {
    String fn = unique("long");
    HttpResponse<String> created = http.postJson(NS + "/functions", new JsonObject().put("name", fn));
    assertEquals(201, created.statusCode(), created.body());
    HttpResponse<String> draft = http.postJson(NS + "/functions/" + fn + "/drafts", new JsonObject()
        .put("files", new JsonObject().put("index.mjs", "export const handler = () => 1;"))
        .put("manifest", limits(new JsonObject().put("timeoutMs", 300_001))));
    assertError(draft, 400, "CS_VALIDATION_FAILED");
    assertEquals("manifest.limits.timeoutMs",
        TestHttp.json(draft).getJsonObject("error").getJsonObject("details").getString("path"), draft.body());
  }

  @Test
  void readinessReportsThatCadenceAnswers() {
    HttpResponse<String> ready = http.get("/readyz");
    assertEquals(200, ready.statusCode(), ready.body());
    assertEquals("ok", TestHttp.json(ready).getJsonObject("checks").getString("cadence"), ready.body());
  }

  @Test
  void aWorkflowReceivesWhatTheFunctionServingItsActivityReturns() throws Exception {
    String tasklist = serve("""
        export const handler = async (event, ctx) =>
          'hello ' + event.input.json.name + ' from ' + ctx.trigger.type + ' attempt ' + event.cadence.attempt;
        """, new JsonObject()).tasklist();
    assertEquals("ok hello ada from cadence attempt 1",
        run(new SousWorkflow.Plan(tasklist, Map.of("name", "ada"))));
  }

  @Test
  void aThrowingFunctionFailsTheActivityWithTheRuntimeExceptionReason() throws Exception {
    String tasklist = serve("export const handler = async () => { throw new Error('card declined'); };",
        new JsonObject()).tasklist();
    String outcome = run(new SousWorkflow.Plan(tasklist, Map.of()));
    // the Java client reads the reason as a class name; runtime_exception is none, which it reports as such
    assertEquals("failed java.lang.ClassNotFoundException runtime_exception", outcome);
  }

  @Test
  void aRetryableFailureIsRetriedAsANewActivationThatNamesItsParent() throws Exception {
    String tasklist = serve("""
        export const handler = async (event, ctx) => {
          if (event.cadence.attempt < 2) throw new Error('flaky');
          return ctx.activationId;
        };
        """, new JsonObject()).tasklist();
    String outcome = run(new SousWorkflow.Plan(tasklist, Map.of()).attempts(3));
    assertTrue(outcome.startsWith("ok cad-") && outcome.endsWith("-2"), outcome);
    String second = outcome.substring("ok ".length());
    String first = second.substring(0, second.length() - 1) + "1";
    JsonObject retried = awaitActivation(http, second, "success");
    JsonObject source = retried.getJsonObject("trigger").getJsonObject("source");
    assertEquals(first, source.getString("parent_activation_id"), retried.encode());
    assertEquals(2, source.getInteger("attempt"));
    assertEquals("error", awaitActivation(http, first, "error").getString("status"));
  }

  @Test
  void aNonRetryableErrorIsNotRetriedEvenWithAttemptsLeft() throws Exception {
    Served served = serve("""
        export const handler = async () => { throw new cs.NonRetryableError('no such account'); };
        """, new JsonObject());
    String outcome = run(new SousWorkflow.Plan(served.tasklist(), Map.of()).attempts(3));
    // the reason names the class the workflow declared not to retry; the details carry code, message, retryable
    // (the Java client cannot build the exception itself on a JVM that does not open java.lang to it, and says so)
    assertTrue(outcome.contains("[class io.codesous.spec.cadence.NonRetryableError]"), outcome);
    assertTrue(outcome.contains("\"message\":\"NonRetryableError: no such account\",\"retryable\":false"),
        outcome);
    assertEquals(1, activations(served.function()).size(), activations(served.function()).encode());
  }

  @Test
  void invalidBindingsAreRefusedNamingTheFieldAndAMissingFunctionIsNotFound() {
    String name = unique("bad");
    JsonObject valid = new JsonObject().put("domain", DOMAIN).put("tasklist", "t")
        .put("activity_map", new JsonObject().put("A", new JsonObject().put("function", "nope-" + name)));
    assertError(http.putJson(NS + "/bindings/" + name, valid), 404, "CS_NOT_FOUND");
    HttpResponse<String> pollers = http.putJson(NS + "/bindings/" + name,
        valid.copy().put("pollers", new JsonObject().put("activity", 0)));
    assertError(pollers, 400, "CS_VALIDATION_FAILED");
    assertEquals("pollers.activity",
        TestHttp.json(pollers).getJsonObject("error").getJsonObject("details").getString("path"), pollers.body());
    HttpResponse<String> entry = http.putJson(NS + "/bindings/" + name, valid.copy().put("activity_map",
        new JsonObject().put("A", new JsonObject().put("function", "x").put("alias", "a").put("version", 1))));
    assertError(entry, 400, "CS_VALIDATION_FAILED");
    assertEquals("activity_map.A.alias",
        TestHttp.json(entry).getJsonObject("error").getJsonObject("details").getString("path"), entry.body());
    assertError(http.get(NS + "/bindings/" + name), 404, "CS_NOT_FOUND");
    JsonArray listed = TestHttp.json(http.get(NS + "/bindings")).getJsonArray("bindings");
    assertTrue(listed.stream().noneMatch(b -> name.equals(((JsonObject) b).getString("name"))), listed.encode());
  }
}
