package io.codesous.platform;

import com.uber.cadence.client.WorkflowClient;
import com.uber.cadence.client.WorkflowClientOptions;
import com.uber.cadence.client.WorkflowOptions;
import com.uber.cadence.internal.testservice.TestWorkflowService;
import com.uber.cadence.worker.WorkerFactory;
import io.codesous.cadence.CadenceOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.codesous.platform.EmbeddedPlatformTest.NS;
import static io.codesous.platform.EmbeddedPlatformTest.assertError;
import static io.codesous.platform.EmbeddedPlatformTest.awaitActivation;
import static io.codesous.platform.EmbeddedPlatformTest.deploy;
import static io.codesous.platform.EmbeddedPlatformTest.source;
import static io.codesous.platform.EmbeddedPlatformTest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Functions serving Cadence activities on the embedded platform: a real Java workflow, run by the Cadence client's
 * worker against the client's in-memory {@code TestWorkflowService}, calls {@code SousInvokeActivity}, and the
 * poller serves it with a JS function through the whole invocation path (cs.invoke, the invoker's sandbox,
 * cs.results).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CadencePlatformTest {

  static final String DOMAIN = "payments";
  static final String WORKFLOWS = "cs-test-workflows";

  @TempDir
  static Path dataDir;

  TestWorkflowService cadence;
  WorkflowClient client;
  WorkerFactory workers;
  Vertx vertx;
  Platform platform;
  TestHttp http;

  @BeforeAll
  void start() throws Exception {
    cadence = new TestWorkflowService();
    // real time: the in-memory service would otherwise skip ahead while workflows wait, past the activities'
    // timeouts, since it does not see that an outside worker runs them
    cadence.lockTimeSkipping("code-sous");
    client = WorkflowClient.newInstance(cadence, WorkflowClientOptions.newBuilder().setDomain(DOMAIN).build());
    workers = WorkerFactory.newInstance(client);
    workers.newWorker(WORKFLOWS).registerWorkflowImplementationTypes(SousWorkflow.Impl.class);
    workers.start();
    vertx = Vertx.vertx();
    PlatformOptions options = new PlatformOptions().setPort(0).setDataDir(dataDir.toString())
        .setCadence(new CadenceOptions().setService(cadence).setDrainTimeoutMs(2_000))
        .setComponents(Set.of(PlatformOptions.CONTROL, PlatformOptions.GATEWAY, PlatformOptions.INVOKER,
            PlatformOptions.CADENCE_POLLER));
    platform = Platform.start(vertx, options).await(60, TimeUnit.SECONDS);
    http = new TestHttp(platform.host(), platform.port(), platform.security().adminToken().token());
  }

  @AfterAll
  void stop() throws Exception {
    platform.stop().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
    workers.shutdownNow();
    cadence.close();
  }

  /** A function and the task list bound to it. */
  record Served(String function, String tasklist) {
  }

  /** Deploys {@code code} as a function and binds {@code SousInvokeActivity} of a new task list to it. */
  Served serve(String code, JsonObject bindingExtras) {
    String fn = unique("activity");
    deploy(http, fn, source(code), null, "prod");
    String tasklist = unique("tl");
    JsonObject binding = new JsonObject().put("domain", DOMAIN).put("tasklist", tasklist)
        .put("pollers", new JsonObject().put("activity", 2))
        .put("activity_map", new JsonObject().put(SousWorkflow.ACTIVITY,
            new JsonObject().put("function", fn).put("alias", "prod")))
        .mergeIn(bindingExtras);
    HttpResponse<String> put = http.putJson(NS + "/bindings/" + tasklist, binding);
    assertEquals(200, put.statusCode(), put.body());
    return new Served(fn, tasklist);
  }

  JsonArray activations(String function) {
    return TestHttp.json(http.get(NS + "/functions/" + function + "/activations")).getJsonArray("activations");
  }

  String run(SousWorkflow.Plan plan) throws Exception {
    SousWorkflow workflow = client.newWorkflowStub(SousWorkflow.class, new WorkflowOptions.Builder()
        .setTaskList(WORKFLOWS).setExecutionStartToCloseTimeout(Duration.ofSeconds(60)).build());
    return WorkflowClient.execute(workflow::run, plan).get(60, TimeUnit.SECONDS);
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
