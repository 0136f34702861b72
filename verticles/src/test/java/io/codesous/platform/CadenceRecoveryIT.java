package io.codesous.platform;

import com.uber.cadence.client.WorkflowClient;
import com.uber.cadence.client.WorkflowClientOptions;
import com.uber.cadence.client.WorkflowOptions;
import com.uber.cadence.internal.testservice.TestWorkflowService;
import com.uber.cadence.worker.WorkerFactory;
import io.codesous.cadence.CadenceOptions;
import io.codesous.codeq.kafka.KafkaTestBroker;
import io.codesous.kv.redis.RedisKeyCleanup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.codesous.platform.EmbeddedPlatformTest.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The poller on Redis and Kafka, split from the rest as in production: one process runs the control plane and the
 * invoker, another the Cadence poller. A poller that stops without draining while its activity runs leaves the
 * task to the next poller, which answers it from the token map in Redis and the result Kafka still holds for the
 * poller group, so the workflow gets its result.
 */
class CadenceRecoveryIT {

  /** Generous: each process warms its engine and joins its consumer groups on a shared machine. */
  private static final long PATIENCE_MS = 120_000;
  private static final String REDIS = "redis://127.0.0.1:6379";

  @TempDir
  Path dataDir;

  /** A tenant of this test's own: the Redis server is shared, and its keys go when the test ends. */
  private final String tenant = "cadence-" + UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void removeTheTenantsKeys() throws Exception {
    RedisKeyCleanup.deleteTenant(REDIS, tenant);
  }

  @Test
  void aTaskLeftByAStoppedPollerIsAnsweredByTheNextOne() throws Exception {
    String bootstrap = KafkaTestBroker.shared().bootstrapServers();
    TestWorkflowService cadence = new TestWorkflowService();
    cadence.lockTimeSkipping("code-sous");
    WorkflowClient client = WorkflowClient.newInstance(cadence,
        WorkflowClientOptions.newBuilder().setDomain("payments").build());
    WorkerFactory workers = WorkerFactory.newInstance(client);
    workers.newWorker("it-workflows").registerWorkflowImplementationTypes(SousWorkflow.Impl.class);
    workers.start();
    String ns = "/v1/tenants/" + tenant + "/namespaces/default";
    String tasklist = "it-" + tenant;
    try (RunningPlatform platform = RunningPlatform.start(options(bootstrap, cadence, 30_000,
        Set.of(Components.CONTROL, Components.INVOKER)))) {
      TestHttp http = new TestHttp(platform.platform().host(), platform.platform().port(),
          platform.platform().security().adminToken().token());
      assertEquals(201, http.postJson(ns + "/functions", new JsonObject().put("name", "slow")).statusCode());
      HttpResponse<String> draft = http.postJson(ns + "/functions/slow/drafts", new JsonObject()
          .put("files", new JsonObject().put("index.mjs", """
              export const handler = async (event) => {
                await new Promise((resolve) => setTimeout(resolve, 3000));
                return 'survived ' + event.input.json.order;
              };
              """)));
      assertEquals(201, draft.statusCode(), draft.body());
      assertEquals(201, http.postJson(ns + "/functions/slow/versions",
          new JsonObject().put("draft_id", TestHttp.json(draft).getString("draft_id"))).statusCode());
      HttpResponse<String> bound = http.putJson(ns + "/bindings/" + tasklist, new JsonObject()
          .put("domain", "payments").put("tasklist", tasklist)
          .put("activity_map", new JsonObject().put(SousWorkflow.ACTIVITY, new JsonObject().put("function", "slow"))));
      assertEquals(200, bound.statusCode(), bound.body());
      try {
        CompletableFuture<String> result;
        try (RunningPlatform poller = RunningPlatform.start(options(bootstrap, cadence, 0,
            Set.of(Components.CADENCE_POLLER)))) {
          SousWorkflow workflow = client.newWorkflowStub(SousWorkflow.class, new WorkflowOptions.Builder()
              .setTaskList("it-workflows").setExecutionStartToCloseTimeout(Duration.ofSeconds(120)).build());
          SousWorkflow.Plan plan = new SousWorkflow.Plan(tasklist, Map.of("order", 42));
          plan.scheduleToCloseSeconds = 100;
          result = WorkflowClient.execute(workflow::run, plan);
          HttpResponse<String> running = pollUntil(() -> http.get(ns + "/functions/slow/activations"),
              r -> r.statusCode() == 200 && !TestHttp.json(r).getJsonArray("activations").isEmpty(), PATIENCE_MS);
          JsonArray activations = TestHttp.json(running).getJsonArray("activations");
          assertEquals(1, activations.size(), running.body());
        }
        // the first poller is gone, without draining, before the function ended
        assertFalse(result.isDone());
        try (RunningPlatform next = RunningPlatform.start(options(bootstrap, cadence, 30_000,
            Set.of(Components.CADENCE_POLLER)))) {
          assertEquals("ok survived 42", result.get(PATIENCE_MS, TimeUnit.MILLISECONDS));
        }
      } finally {
        http.delete(ns + "/bindings/" + tasklist);
        workers.shutdownNow();
        cadence.close();
      }
    }
  }

  private PlatformOptions options(String bootstrap, TestWorkflowService cadence, long drainMs,
                                  Set<String> components) {
    return new PlatformOptions()
        .setPort(0)
        .setDataDir(dataDir.toString())
        .setComponents(components)
        .setCadence(new CadenceOptions().setService(cadence).setRefreshSeconds(1).setDrainTimeoutMs(drainMs))
        .setKvBackend(BackendNames.KV_REDIS)
        .setRedis(new JsonObject().put("connectionString", REDIS))
        .setCodeqBackend(BackendNames.CODEQ_KAFKA)
        .setKafka(new JsonObject().put("bootstrapServers", bootstrap).put("sessionTimeoutMs", 6000)
            .put("heartbeatIntervalMs", 200).put("commitIntervalMs", 100));
  }
}
