package io.codesous.platform;

import com.uber.cadence.client.WorkflowClient;
import com.uber.cadence.client.WorkflowClientOptions;
import com.uber.cadence.client.WorkflowOptions;
import com.uber.cadence.internal.testservice.TestWorkflowService;
import com.uber.cadence.serviceclient.IWorkflowService;
import com.uber.cadence.worker.WorkerFactory;
import io.codesous.cadence.CadenceOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.codesous.platform.EmbeddedPlatformTest.NS;
import static io.codesous.platform.EmbeddedPlatformTest.deploy;
import static io.codesous.platform.EmbeddedPlatformTest.source;
import static io.codesous.platform.EmbeddedPlatformTest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An embedded platform running the Cadence poller against the Cadence client's in-memory {@code TestWorkflowService},
 * with a worker running {@link SousWorkflow}: real Java workflows whose activities the poller serves with JS
 * functions through the whole invocation path (cs.invoke, the invoker's sandbox, cs.results).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CadencePlatformFixture {

  static final String DOMAIN = "payments";
  static final String WORKFLOWS = "cs-test-workflows";

  @TempDir
  static Path dataDir;

  TestWorkflowService cadence;
  /** Heartbeats the poller recorded with Cadence. */
  final AtomicInteger heartbeats = new AtomicInteger();
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
        .setCadence(new CadenceOptions().setService(counting(cadence)).setDrainTimeoutMs(2_000))
        .setComponents(Set.of(Components.CONTROL, Components.GATEWAY, Components.INVOKER,
            Components.CADENCE_POLLER));
    platform = Platform.start(vertx, adjust(options)).await(60, TimeUnit.SECONDS);
    http = new TestHttp(platform.host(), platform.port(), platform.security().adminToken().token());
  }

  /** What a test class changes of the platform's options. */
  PlatformOptions adjust(PlatformOptions options) {
    return options;
  }

  @AfterAll
  void stop() throws Exception {
    platform.stop().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
    workers.shutdownNow();
    cadence.close();
  }

  /** The service as the poller sees it, counting the heartbeats it records. */
  IWorkflowService counting(IWorkflowService service) {
    return (IWorkflowService) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {IWorkflowService.class}, (proxy, method, args) -> {
          if (method.getName().equals("RecordActivityTaskHeartbeat")) {
            heartbeats.incrementAndGet();
          }
          try {
            return method.invoke(service, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** A function and the task list bound to it. */
  record Served(String function, String tasklist) {
  }

  /** Deploys {@code code} as a function and binds {@code SousInvokeActivity} of a new task list to it. */
  Served serve(String code, JsonObject bindingExtras) {
    return serve(code, null, bindingExtras);
  }

  Served serve(String code, JsonObject manifest, JsonObject bindingExtras) {
    String fn = unique("activity");
    deploy(http, fn, source(code), manifest, "prod");
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
    return start(plan).get(60, TimeUnit.SECONDS);
  }

  CompletableFuture<String> start(SousWorkflow.Plan plan) {
    SousWorkflow workflow = client.newWorkflowStub(SousWorkflow.class, new WorkflowOptions.Builder()
        .setTaskList(WORKFLOWS).setExecutionStartToCloseTimeout(Duration.ofSeconds(60)).build());
    return WorkflowClient.execute(workflow::run, plan);
  }
}
