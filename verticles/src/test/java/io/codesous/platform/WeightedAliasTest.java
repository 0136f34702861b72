package io.codesous.platform;

import io.codesous.gateway.GatewayOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.codesous.platform.EmbeddedPlatformTest.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weighted aliases through the embedded platform's gateway: a canary share of invocations runs another version,
 * each activation records the version it ran, and setting the alias back is the rollback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WeightedAliasTest {

  /** Enough invocations that a share is measured within a few percent: the binomial sd at 20 % is 0.9 points. */
  static final int INVOKES = 2_000;
  static final int CALLERS = 4;
  /** The gateway keeps a resolved ref this long; the rollback waits it out. */
  static final long REF_CACHE_TTL_MS = 100;

  @TempDir
  static Path dataDir;

  RunningPlatform running;
  TestHttp http;

  @BeforeAll
  void start() throws Exception {
    running = RunningPlatform.start(new PlatformOptions().setPort(0).setDataDir(dataDir.toString())
        .setGateway(new GatewayOptions().setRefCacheTtlMs(REF_CACHE_TTL_MS)));
    Platform platform = running.platform();
    http = new TestHttp(platform.host(), platform.port(), platform.security().adminToken().token());
  }

  @AfterAll
  void stop() throws Exception {
    running.close();
  }

  static final String CODE = "export const handler = (e, ctx) => ({ statusCode: 200, body: String(ctx.function.version) });";

  private String twoVersions() {
    String name = EmbeddedPlatformTest.unique("canary");
    EmbeddedPlatformTest.deploy(http, name, EmbeddedPlatformTest.source(CODE), null, null);
    EmbeddedPlatformTest.publish(http, name,
        EmbeddedPlatformTest.upload(http, name, EmbeddedPlatformTest.source(CODE + "\n// v2"), null)
            .getString("draft_id"), null);
    return name;
  }

  private HttpResponse<String> setAlias(String name, JsonObject body) {
    return http.putJson(NS + "/functions/" + name + "/aliases/prod", body);
  }

  /** Invokes the alias {@code n} times from a few callers at once; counts the answers by body. */
  private Map<String, Integer> invoke(String name, int n) throws Exception {
    Map<String, Integer> counts = new ConcurrentHashMap<>();
    AtomicInteger left = new AtomicInteger(n);
    ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < CALLERS; c++) {
        done.add(callers.submit(() -> {
          while (left.getAndDecrement() > 0) {
            HttpResponse<String> r = http.get(EmbeddedPlatformTest.web(name, "prod"));
            assertEquals(200, r.statusCode(), r.body());
            counts.merge(r.body(), 1, Integer::sum);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(4, TimeUnit.MINUTES);
      }
    } finally {
      callers.shutdownNow();
    }
    return counts;
  }

  @Test
  void aTenPercentCanaryRunsTheOtherVersionForAboutATenthOfInvocationsAndSettingTheAliasBackRollsItBack()
      throws Exception {
    String name = twoVersions();
    HttpResponse<String> set = setAlias(name, new JsonObject().put("version", 1)
        .put("weights", new JsonObject().put("2", 10)));
    assertEquals(200, set.statusCode(), set.body());
    assertEquals(new JsonObject().put("alias", "prod").put("version", 1).put("weights", new JsonObject().put("2", 10)),
        TestHttp.json(set));

    Map<String, Integer> split = invoke(name, INVOKES);
    int canary = split.getOrDefault("2", 0);
    assertEquals(INVOKES, canary + split.getOrDefault("1", 0), split.toString());
    double share = 100.0 * canary / INVOKES;
    assertTrue(share > 7 && share < 13, "the canary's share is 10 % within 3 points: " + share);

    JsonObject listed = TestHttp.json(http.get(NS + "/functions/" + name + "/aliases"))
        .getJsonArray("aliases").getJsonObject(0);
    assertEquals(new JsonObject().put("2", 10), listed.getJsonObject("weights"));

    assertEquals(200, setAlias(name, new JsonObject().put("version", 1)).statusCode());
    Thread.sleep(3 * REF_CACHE_TTL_MS);
    assertEquals(Map.of("1", 200), invoke(name, 200), "after the rollback every invocation runs version 1");
  }

  @Test
  void eachActivationRecordsTheVersionItRan() {
    String name = twoVersions();
    assertEquals(200, setAlias(name, new JsonObject().put("version", 1)
        .put("weights", new JsonObject().put("2", 50))).statusCode());
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r = http.get(EmbeddedPlatformTest.web(name, "prod"));
      JsonObject activation = TestHttp.json(http.get(NS + "/activations/" + EmbeddedPlatformTest.activationId(r)));
      assertEquals(Long.parseLong(r.body()), activation.getLong("version"), activation.encode());
      assertEquals("prod", activation.getString("ref"), activation.encode());
    }
  }

  @Test
  void weightsThatCannotBeHonouredAreRefusedNamingTheEntry() {
    String name = twoVersions();
    assertRefused(setAlias(name, new JsonObject().put("version", 1).put("weights", new JsonObject().put("2", 101))),
        400, "weights[\"2\"]");
    assertRefused(setAlias(name, new JsonObject().put("version", 1).put("weights", new JsonObject().put("x", 5))),
        400, "weights[\"x\"]");
    assertRefused(setAlias(name, new JsonObject().put("version", 1).put("weights", new JsonObject().put("1", 5))),
        400, "weights[\"1\"]");
    assertRefused(setAlias(name, new JsonObject().put("version", 1).put("weights", "2:10")), 400, "weights");
    HttpResponse<String> unknown = setAlias(name, new JsonObject().put("version", 1)
        .put("weights", new JsonObject().put("9", 5)));
    assertEquals(404, unknown.statusCode(), unknown.body());
    assertEquals(404, http.get(EmbeddedPlatformTest.web(name, "prod")).statusCode(), "nothing was written");
  }

  private static void assertRefused(HttpResponse<String> r, int status, String path) {
    assertEquals(status, r.statusCode(), r.body());
    JsonObject error = TestHttp.json(r).getJsonObject("error");
    assertEquals("CS_VALIDATION_FAILED", error.getString("code"));
    assertEquals(path, error.getJsonObject("details").getString("path"), r.body());
  }
}
