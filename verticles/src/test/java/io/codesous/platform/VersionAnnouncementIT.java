package io.codesous.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.codeq.kafka.KafkaTestBroker;
import io.codesous.gateway.GatewayOptions;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publish reaches every invoker over the real backends: on Redis and a Kafka broker, a process running the
 * control API and an invoker and a second, invoker-only process both prepare a version the moment it is
 * published, before anything invokes it, because each invoker consumes {@code cs.versions} in a group of its own.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VersionAnnouncementIT {

  /** Generous: each process warms its engine and joins its consumer group on a shared machine. */
  private static final long PATIENCE_MS = 120_000;

  @TempDir
  Path dataDir;

  @Test
  void aPublishReachesEveryInvokerBeforeAnyInvoke() throws Exception {
    String bootstrap = KafkaTestBroker.shared().bootstrapServers();
    try (RunningPlatform control = RunningPlatform.start(options(bootstrap,
        Set.of(Components.CONTROL, Components.INVOKER)));
         RunningPlatform invokerOnly = RunningPlatform.start(options(bootstrap, Set.of(Components.INVOKER)))) {
      Counter first = published(control.platform());
      Counter second = published(invokerOnly.platform());
      double firstBefore = first.count();
      double secondBefore = second.count();
      TestHttp http = new TestHttp(control.platform().host(), control.platform().port(),
          control.platform().security().adminToken().token());

      // a tenant of this test's own: the Redis server is shared
      String tenant = "prep-" + UUID.randomUUID().toString().substring(0, 8);
      String base = "/v1/tenants/" + tenant + "/namespaces/default/functions";
      HttpResponse<String> created = http.postJson(base, new JsonObject().put("name", "announced"));
      assertEquals(201, created.statusCode(), created.body());
      HttpResponse<String> draft = http.postJson(base + "/announced/drafts", new JsonObject()
          .put("files", new JsonObject().put("index.mjs",
              "const greeting = 'prepared';\nexport const handler = () => ({ statusCode: 200, body: greeting });\n")));
      assertEquals(201, draft.statusCode(), draft.body());
      HttpResponse<String> published = http.postJson(base + "/announced/versions",
          new JsonObject().put("draft_id", TestHttp.json(draft).getString("draft_id")));
      assertEquals(201, published.statusCode(), published.body());

      long deadline = System.currentTimeMillis() + PATIENCE_MS;
      while ((first.count() == firstBefore || second.count() == secondBefore)
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(first.count() > firstBefore, "the control process's invoker prepared the published version");
      assertTrue(second.count() > secondBefore, "the invoker-only process prepared the published version too");
    }
  }

  private PlatformOptions options(String bootstrap, Set<String> components) {
    return new PlatformOptions()
        .setPort(0)
        .setDataDir(dataDir.toString())
        .setComponents(components)
        .setGateway(new GatewayOptions())
        .setKvBackend(BackendNames.KV_REDIS)
        .setRedis(new JsonObject().put("connectionString", "redis://127.0.0.1:6379"))
        .setCodeqBackend(BackendNames.CODEQ_KAFKA)
        .setKafka(new JsonObject().put("bootstrapServers", bootstrap));
  }

  private static Counter published(Platform platform) {
    return platform.registry().get("cs.invoker.prepared").tag("reason", "published").counter();
  }
}
