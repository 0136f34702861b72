package io.codesous.cluster;

import com.uber.cadence.client.WorkflowClient;
import com.uber.cadence.client.WorkflowClientOptions;
import com.uber.cadence.client.WorkflowOptions;
import com.uber.cadence.internal.testservice.TestWorkflowService;
import com.uber.cadence.worker.WorkerFactory;
import io.codesous.codeq.kafka.KafkaTestBroker;
import io.codesous.kv.redis.RedisKeyCleanup;
import io.codesous.platform.Components;
import io.codesous.platform.BackendNames;
import io.codesous.platform.PlatformOptions;
import io.codesous.platform.RunningPlatform;
import io.codesous.platform.SousWorkflow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A poller process killed with {@code kill -9} in the middle of a task: the control plane and the invoker run in this
 * JVM on Redis and Kafka, two Cadence pollers in {@code cs server --components cadence-poller} processes of their own,
 * talking gRPC to the Cadence client's test service ({@link CadenceGrpcBridge}). The poller that takes the task dies
 * while its 6 s activity runs; the other, which never saw the task, reads the result the first never acknowledged
 * once the Kafka group hands it the dead member's partitions, and answers Cadence with the task token from the token
 * map. The workflow gets the function's result, from its one activation.
 */
class CadenceKillIT {

  static final String REDIS = "redis://127.0.0.1:6379";
  static final String DOMAIN = "payments";
  static final String WORKFLOWS = "kill-it-workflows";
  /** Each process warms its engine and joins its consumer groups on a shared machine. */
  static final Duration PATIENCE = Duration.ofSeconds(120);
  /** What a poller logs when it takes a task. */
  static final String TASK_RECEIVED = "task received";

  /** Kept when the test fails: the processes' logs and configurations are in it. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  final String tenant = "cadkill-" + UUID.randomUUID().toString().substring(0, 8);
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aPollerKilledMidTaskLeavesItsTaskToTheNextPollerProcessWhichAnswersItFromTheTokenMap() throws Exception {
    KafkaForTests kafka = KafkaForTests.start();
    TestWorkflowService cadence = new TestWorkflowService();
    // real time: the service would otherwise skip ahead past the activity's timeouts while the workflow waits
    cadence.lockTimeSkipping("code-sous");
    WorkerFactory workers = WorkerFactory.newInstance(WorkflowClient.newInstance(cadence,
        WorkflowClientOptions.newBuilder().setDomain(DOMAIN).build()));
    workers.newWorker(WORKFLOWS).registerWorkflowImplementationTypes(SousWorkflow.Impl.class);
    workers.start();
    String tasklist = "kill-" + tenant;
    try (CadenceGrpcBridge bridge = CadenceGrpcBridge.start(cadence, CsProcess.freePort());
         RunningPlatform core = RunningPlatform.start(coreOptions(kafka))) {
      String api = "http://127.0.0.1:" + core.platform().port() + "/v1/tenants/" + tenant + "/namespaces/default";
      String token = core.platform().security().adminToken().token();
      deploySlowFunction(api, token);
      assertEquals(200, CsProcess.send(http, token, "PUT", api + "/bindings/" + tasklist, new JsonObject()
          .put("domain", DOMAIN).put("tasklist", tasklist)
          .put("activity_map", new JsonObject().put(SousWorkflow.ACTIVITY, new JsonObject().put("function", "slow"))))
          .statusCode());

      // two pollers from the start, so no process start lies between the kill and the answer: whichever takes the
      // task is killed, and the other answers it
      try (CsProcess one = poller("poller-1", kafka, bridge); CsProcess two = poller("poller-2", kafka, bridge)) {
        one.awaitReady(http, PATIENCE);
        two.awaitReady(http, PATIENCE);
        SousWorkflow workflow = WorkflowClient.newInstance(cadence,
            WorkflowClientOptions.newBuilder().setDomain(DOMAIN).build()).newWorkflowStub(SousWorkflow.class,
            new WorkflowOptions.Builder().setTaskList(WORKFLOWS)
                .setExecutionStartToCloseTimeout(PATIENCE.multipliedBy(2)).build());
        SousWorkflow.Plan plan = new SousWorkflow.Plan();
        plan.tasklist = tasklist;
        plan.input = Map.of("order", 7);
        plan.scheduleToCloseSeconds = (int) PATIENCE.toSeconds();
        CompletableFuture<String> result = WorkflowClient.execute(workflow::run, plan);
        awaitRunningActivation(api, token);
        CsProcess taker = one.logText().contains(TASK_RECEIVED) ? one : two;
        CsProcess survivor = taker == one ? two : one;
        taker.killHard();
        assertFalse(result.isDone(), "the activity still ran when the poller that took it died");
        assertEquals("ok survived 7", result.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS),
            "the workflow's result, answered by " + survivor.name() + "; its log:\n" + survivor.logText());
        assertFalse(survivor.logText().contains(TASK_RECEIVED), "the survivor never took the task itself");
      }
      JsonArray activations = new JsonObject(CsProcess.send(http, token, "GET", api + "/functions/slow/activations",
          null).body()).getJsonArray("activations");
      assertEquals(1, activations.size(), "the task ran once: " + activations.encode());
    } finally {
      workers.shutdownNow();
      cadence.close();
      cleanRedis();
    }
  }

  private PlatformOptions coreOptions(KafkaForTests kafka) {
    return new PlatformOptions().setPort(0).setDataDir(dir.resolve("core").toString())
        .setComponents(Set.of(Components.CONTROL, Components.INVOKER))
        .setKvBackend(BackendNames.KV_REDIS)
        // the shared machine can be slow to answer: the same patience the cluster tests give Redis
        .setRedis(new JsonObject().put("connectionString", REDIS).put("commandTimeoutMs", 10_000))
        .setCodeqBackend(BackendNames.CODEQ_KAFKA)
        .setKafka(new JsonObject().put("bootstrapServers", KafkaTestBroker.shared().bootstrapServers())
            .put("sessionTimeoutMs", 6000).put("heartbeatIntervalMs", 1000).put("commitIntervalMs", 200)
            .put("partitions", 8));
  }

  /**
   * A poller process: bindings read every second, no drain (a kill leaves nothing to drain anyway), short Kafka
   * session timeouts so the dead member's partitions move on within seconds.
   */
  private CsProcess poller(String name, KafkaForTests kafka, CadenceGrpcBridge bridge) throws Exception {
    String yaml = """
        kv:
          backend: redis
          redis:
            connectionString: %s
            commandTimeoutMs: 10000
        codeq:
          backend: kafka
          kafka:
        %s
        cadence:
          host: 127.0.0.1
          port: %d
          refreshSeconds: 1
          drainTimeoutMs: 0
        """.formatted(REDIS, kafka.clientSettingsYaml("    "), bridge.port());
    return CsProcess.start(name, dir, yaml, CsProcess.freePort(), Components.CADENCE_POLLER);
  }

  private void deploySlowFunction(String api, String token) throws Exception {
    assertEquals(201, CsProcess.send(http, token, "POST", api + "/functions", new JsonObject().put("name", "slow"))
        .statusCode());
    HttpResponse<String> draft = CsProcess.send(http, token, "POST", api + "/functions/slow/drafts", new JsonObject()
        .put("files", new JsonObject().put("index.mjs", """
            export const handler = async (event) => {
              await new Promise((resolve) => setTimeout(resolve, 6000));
              return 'survived ' + event.input.json.order;
            };
            """)));
    assertEquals(201, draft.statusCode(), draft.body());
    assertEquals(201, CsProcess.send(http, token, "POST", api + "/functions/slow/versions",
        new JsonObject().put("draft_id", new JsonObject(draft.body()).getString("draft_id"))).statusCode());
  }

  private void awaitRunningActivation(String api, String token) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> listed = CsProcess.send(http, token, "GET", api + "/functions/slow/activations", null);
      if (listed.statusCode() == 200 && new JsonObject(listed.body()).getJsonArray("activations").stream()
          .anyMatch(a -> "running".equals(((JsonObject) a).getString("status")))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no activation ran within " + PATIENCE);
  }

  private void cleanRedis() throws Exception {
    RedisKeyCleanup.deleteTenant(REDIS, tenant);
  }
}
