package io.codesous.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.gateway.GatewayOptions;
import io.codesous.invoker.InvokerOptions;
import io.codesous.spec.message.DraftStored;
import io.codesous.spec.message.Topics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A published version is prepared by the invoker before its first invoke: the embedded platform publishes a real
 * npm bundle (popular.mjs, about 1.8 MB) and the invoker's preparation meter counts it before any request arrives.
 * The tests of the popular bundle print the first invoke's latency after publish, with and without preparation, for
 * the record. Before that, a draft uploaded to a server that also runs functions is parsed by its sandbox once it is
 * stored, before anyone publishes it (the runtime's {@code ParseAheadTest} shows the parsed code is the one its
 * activations use); a draft the module check refuses is not, and a server whose invoker prepares no versions parses
 * nothing ahead.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VersionPreparationTest {

  /** Ample for preparing a large bundle on a busy shared machine; the test waits only as long as it takes. */
  private static final long PREPARED_WITHIN_MS = 180_000;

  @TempDir
  Path dataDir;

  @Test
  void aPublishedBundleIsPreparedByTheInvokerBeforeItsFirstInvoke() throws Exception {
    try (Started started = start(true)) {
      Counter published = prepared(started.platform, "published");
      Counter firstSeen = prepared(started.platform, "first-seen");
      double before = published.count();
      String name = EmbeddedPlatformTest.unique("prepared");
      EmbeddedPlatformTest.deploy(started.http, name, popular(), manifest(), "prod");

      long deadline = System.currentTimeMillis() + PREPARED_WITHIN_MS;
      while (published.count() == before && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(before + 1, published.count(), "the invoker prepares the version it heard was published");
      double firstSeenBefore = firstSeen.count();

      HttpResponse<String> first = timedFirstInvoke(started.http, name, "prepared at publish");
      assertOrderAnswer(first);
      assertEquals(firstSeenBefore, firstSeen.count(),
          "the first invoke found the version loaded and prepared, so it did not load it again");
      JsonObject record = EmbeddedPlatformTest.awaitActivation(started.http,
          EmbeddedPlatformTest.activationId(first), "success");
      // the context prepared for the announcement (made with a request of the invoker's own) served the first
      // activation, which came over HTTP: it did not evaluate the bundle again
      assertEquals("prewarmed", record.getString("start"), record.encode());
      assertEquals(0L, record.getLong("init_ms"), record.encode());
    }
  }

  @Test
  void anInvokerThatDoesNotPrepareLoadsTheVersionAtItsFirstInvoke() throws Exception {
    try (Started started = start(false)) {
      Counter published = prepared(started.platform, "published");
      Counter firstSeen = prepared(started.platform, "first-seen");
      String name = EmbeddedPlatformTest.unique("unprepared");
      EmbeddedPlatformTest.deploy(started.http, name, popular(), manifest(), "prod");

      HttpResponse<String> first = timedFirstInvoke(started.http, name, "not prepared");
      assertOrderAnswer(first);
      assertEquals(0.0, published.count() + firstSeen.count(), "preparation was turned off");
    }
  }

  @Test
  void anUploadedDraftIsParsedByTheSandboxBeforeItIsPublished() throws Exception {
    try (Started started = start(true)) {
      Counter parsed = counter(started.platform, "parsed");
      String name = EmbeddedPlatformTest.unique("ahead");
      create(started.http, name);

      JsonObject draft = EmbeddedPlatformTest.upload(started.http, name, EmbeddedPlatformTest.source(
          "export function handler() { return { statusCode: 200, body: 'parsed first' }; }"), null);

      awaitCount(parsed, 1.0);
      assertEquals(0.0, counter(started.platform, "not-parsed").count());

      EmbeddedPlatformTest.publish(started.http, name, draft.getString("draft_id"), "prod");
      HttpResponse<String> first = started.http.get(EmbeddedPlatformTest.web(name, "prod"));
      assertEquals(200, first.statusCode(), first.body());
      assertEquals("parsed first", first.body());
    }
  }

  @Test
  void aDraftAnnouncedOnTheQueueIsParsedByTheInvokerAndOneGoneOrStaleIsPassedOver() throws Exception {
    try (Started started = start(true)) {
      Counter parsed = counter(started.platform, "parsed");
      String name = EmbeddedPlatformTest.unique("announced");
      create(started.http, name);
      JsonObject draft = EmbeddedPlatformTest.upload(started.http, name, EmbeddedPlatformTest.source(
          "export function handler() { return { statusCode: 200, body: 'heard of' }; }"), null);
      // the upload's own parse, handed over by the control API in this process
      awaitCount(parsed, 1.0);
      long now = System.currentTimeMillis();
      String sha256 = draft.getString("sha256");

      // one an expired draft would name, one older than an invoker heeds, then the stored one
      announce(started.platform, new DraftStored("acme", "default", name, "no-such-draft", sha256, now));
      announce(started.platform, new DraftStored("acme", "default", name, draft.getString("draft_id"), sha256,
          now - 10 * 60_000));
      announce(started.platform, new DraftStored("acme", "default", name, draft.getString("draft_id"), sha256,
          now));

      // taken in order, one at a time: once the stored one is counted, the two before it were passed over
      awaitCount(parsed, 2.0);
      Thread.sleep(200);
      assertEquals(2.0, parsed.count());
      assertEquals(0.0, counter(started.platform, "not-parsed").count());
    }
  }

  @Test
  void aDraftTheModuleCheckRefusesIsNotParsedAhead() throws Exception {
    try (Started started = start(true)) {
      String name = EmbeddedPlatformTest.unique("refused");
      create(started.http, name);

      HttpResponse<String> refused = started.http.postJson(EmbeddedPlatformTest.NS + "/functions/" + name + "/drafts",
          new JsonObject().put("files", EmbeddedPlatformTest.source("export function handler( {")));

      EmbeddedPlatformTest.assertError(refused, 400, "CS_VALIDATION_FAILED");
      // a draft that parses, uploaded after it: once it is counted, the refused one would have been counted before
      EmbeddedPlatformTest.upload(started.http, name, EmbeddedPlatformTest.source(
          "export function handler() { return { statusCode: 200 }; }"), null);
      awaitCount(counter(started.platform, "parsed"), 1.0);
      assertEquals(0.0, counter(started.platform, "not-parsed").count());
    }
  }

  @Test
  void aServerWhoseInvokerPreparesNoVersionsParsesNoDraftAhead() throws Exception {
    try (Started started = start(false)) {
      String name = EmbeddedPlatformTest.unique("unprepared");
      create(started.http, name);
      EmbeddedPlatformTest.deploy(started.http, name + "-deployed", EmbeddedPlatformTest.source(
          "export function handler() { return { statusCode: 200, body: 'ran' }; }"), null, "prod");

      HttpResponse<String> first = started.http.get(EmbeddedPlatformTest.web(name + "-deployed", "prod"));

      assertEquals("ran", first.body());
      assertNull(started.platform.registry().find("cs.invoker.parsed_ahead").counter());
    }
  }

  private static void announce(Platform platform, DraftStored stored) throws Exception {
    platform.codeq().publish(Topics.DRAFTS, stored.key(), stored.encode()).await(10, TimeUnit.SECONDS);
  }

  private static void awaitCount(Counter counter, double count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + PREPARED_WITHIN_MS;
    while (counter.count() < count && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(count, counter.count(), counter.getId().toString());
  }

  private static void create(TestHttp http, String name) {
    HttpResponse<String> created = http.postJson(EmbeddedPlatformTest.NS + "/functions",
        new JsonObject().put("name", name));
    assertEquals(201, created.statusCode(), created.body());
  }

  private static Counter counter(Platform platform, String outcome) {
    return platform.registry().get("cs.invoker.parsed_ahead").tag("outcome", outcome).counter();
  }

  private static HttpResponse<String> timedFirstInvoke(TestHttp http, String name, String label) {
    long start = System.nanoTime();
    HttpResponse<String> response = http.get(EmbeddedPlatformTest.web(name, "prod") + "/orders/7?n=3");
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.printf("first invoke of popular.mjs after publish (%s): %d ms%n", label, ms);
    return response;
  }

  private static void assertOrderAnswer(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    JsonObject body = new JsonObject(response.body());
    assertEquals("show", body.getString("route"));
    assertEquals(5, body.getInteger("quantity"));
    assertTrue(body.getBoolean("validId"));
  }

  private static JsonObject popular() {
    return new JsonObject().put("index.mjs", NpmBundles.read("popular"));
  }

  private static JsonObject manifest() {
    // a first invoke that evaluates the whole bundle on a busy machine must not end in the handler's timeout
    return new JsonObject().put("limits", new JsonObject().put("timeoutMs", 30_000));
  }

  private static Counter prepared(Platform platform, String reason) {
    return platform.registry().get("cs.invoker.prepared").tag("reason", reason).counter();
  }

  private Started start(boolean prepare) throws Exception {
    Vertx vertx = Vertx.vertx();
    PlatformOptions options = new PlatformOptions()
        .setPort(0)
        .setDataDir(dataDir.toString())
        .setGateway(new GatewayOptions().setWaitMs(120_000))
        .setInvoker(new InvokerOptions().setPrepareVersions(prepare));
    Platform platform = Platform.start(vertx, options).await(60, TimeUnit.SECONDS);
    return new Started(vertx, platform,
        new TestHttp(platform.host(), platform.port(), platform.security().adminToken().token()));
  }

  private record Started(Vertx vertx, Platform platform, TestHttp http) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      try {
        platform.stop().await(30, TimeUnit.SECONDS);
      } finally {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    }
  }
}
