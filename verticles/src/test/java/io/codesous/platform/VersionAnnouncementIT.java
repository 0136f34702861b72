package io.codesous.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codesous.codeq.kafka.KafkaTestBroker;
import io.codesous.gateway.GatewayOptions;
import io.codesous.kv.redis.RedisKeyCleanup;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Announcements reach every invoker over the real backends: on Redis and a Kafka broker, a process running the
 * control API and an invoker and a second, invoker-only process both parse an uploaded draft before anyone publishes
 * it, because each invoker consumes {@code cs.drafts} in a group of its own, and both prepare a version the moment it
 * is published, before anything invokes it, because each consumes {@code cs.versions} likewise.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VersionAnnouncementIT {

  /** Generous: each process warms its engine and joins its consumer groups on a shared machine. */
  private static final long PATIENCE_MS = 120_000;
  private static final String REDIS = "redis://127.0.0.1:6379";

  @TempDir
  Path dataDir;

  /** A tenant of this test's own: the Redis server is shared, and its keys go when the test ends. */
  private final String tenant = "prep-" + UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void removeTheTenantsKeys() throws Exception {
    RedisKeyCleanup.deleteTenant(REDIS, tenant);
  }

  @Test
  void aPublishReachesEveryInvokerBeforeAnyInvoke() throws Exception {
    assertEveryInvokerCounts(platform -> platform.registry().get("cs.invoker.prepared").tag("reason", "published")
        .counter(), true);
  }

  @Test
  void anUploadedDraftIsParsedByEveryInvokerBeforeItIsPublished() throws Exception {
    assertEveryInvokerCounts(platform -> parsedAhead(platform, "parsed"), false);
  }

  /**
   * Starts both processes, uploads a draft through the first (and publishes it when {@code publish}), and asserts
   * that {@code counter} of each process counts it once before anything is invoked.
   */
  private void assertEveryInvokerCounts(Function<Platform, Counter> counter, boolean publish) throws Exception {
    String bootstrap = KafkaTestBroker.shared().bootstrapServers();
    try (RunningPlatform control = RunningPlatform.start(options(bootstrap,
        Set.of(Components.CONTROL, Components.INVOKER)));
         RunningPlatform invokerOnly = RunningPlatform.start(options(bootstrap, Set.of(Components.INVOKER)))) {
      Counter first = counter.apply(control.platform());
      Counter second = counter.apply(invokerOnly.platform());
      double firstBefore = first.count();
      double secondBefore = second.count();
      TestHttp http = new TestHttp(control.platform().host(), control.platform().port(),
          control.platform().security().adminToken().token());

      String base = "/v1/tenants/" + tenant + "/namespaces/default/functions";
      HttpResponse<String> created = http.postJson(base, new JsonObject().put("name", "announced"));
      assertEquals(201, created.statusCode(), created.body());
      HttpResponse<String> draft = http.postJson(base + "/announced/drafts", new JsonObject()
          .put("files", new JsonObject().put("index.mjs",
              "const greeting = 'prepared';\nexport const handler = () => ({ statusCode: 200, body: greeting });\n")));
      assertEquals(201, draft.statusCode(), draft.body());
      if (publish) {
        HttpResponse<String> published = http.postJson(base + "/announced/versions",
            new JsonObject().put("draft_id", TestHttp.json(draft).getString("draft_id")));
        assertEquals(201, published.statusCode(), published.body());
      }

      long deadline = System.currentTimeMillis() + PATIENCE_MS;
      while ((first.count() == firstBefore || second.count() == secondBefore)
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(firstBefore + 1, first.count(), "the control process's invoker counted it, once");
      assertEquals(secondBefore + 1, second.count(), "the invoker-only process counted it too");
      assertEquals(0.0, parsedAhead(control.platform(), "not-parsed").count());
      assertEquals(0.0, parsedAhead(invokerOnly.platform(), "not-parsed").count());
    }
  }

  private PlatformOptions options(String bootstrap, Set<String> components) {
    return new PlatformOptions()
        .setPort(0)
        .setDataDir(dataDir.toString())
        .setComponents(components)
        .setGateway(new GatewayOptions())
        .setKvBackend(BackendNames.KV_REDIS)
        .setRedis(new JsonObject().put("connectionString", REDIS))
        .setCodeqBackend(BackendNames.CODEQ_KAFKA)
        .setKafka(new JsonObject().put("bootstrapServers", bootstrap));
  }

  private static Counter parsedAhead(Platform platform, String outcome) {
    return platform.registry().get("cs.invoker.parsed_ahead").tag("outcome", outcome).counter();
  }
}
