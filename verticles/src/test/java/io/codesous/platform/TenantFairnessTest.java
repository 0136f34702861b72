package io.codesous.platform;

import io.codesous.gateway.GatewayOptions;
import io.codesous.invoker.InvokerOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One tenant's slow functions cannot hold every sandbox worker of an invoker: another tenant's trivial function is
 * answered while they run. Two workers, as on the two-core machine where four 8 s loops of one tenant made another
 * tenant's hello wait 15.5 s at p99.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantFairnessTest {

  static final int WORKERS = 2;
  /** How long each of the saturating tenant's loops runs: long enough that waiting for one is unmistakable. */
  static final int LOOP_MS = 6_000;
  /**
   * The bound on the other tenant's p99. The goal is under 100 ms on an idle machine; this test shares two cores with
   * builds and with the loops themselves, so it asserts a bound far above a hello's cost yet far below what an
   * arrival-order pool makes it wait (behind two rounds of loops: about 11 s).
   */
  static final long P99_BOUND_MS = 3_000;

  @TempDir
  static Path dataDir;

  RunningPlatform running;
  Platform platform;
  TestHttp http;

  @BeforeAll
  void start() throws Exception {
    running = RunningPlatform.start(new PlatformOptions().setPort(0).setDataDir(dataDir.toString())
        .setGateway(new GatewayOptions().setRefCacheTtlMs(0))
        .setInvoker(new InvokerOptions().setWorkerPoolSize(WORKERS)));
    platform = running.platform();
    http = new TestHttp(platform.host(), platform.port(), platform.security().adminToken().token());
  }

  @AfterAll
  void stop() throws Exception {
    running.close();
  }

  String deploy(String tenant, String code, JsonObject manifest) {
    String ns = "/v1/tenants/" + tenant + "/namespaces/default";
    String name = "fn-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, http.postJson(ns + "/functions", new JsonObject().put("name", name)).statusCode());
    HttpResponse<String> draft = http.postJson(ns + "/functions/" + name + "/drafts", new JsonObject()
        .put("files", new JsonObject().put("index.mjs", code)).put("manifest", manifest));
    assertEquals(201, draft.statusCode(), draft.body());
    HttpResponse<String> published = http.postJson(ns + "/functions/" + name + "/versions", new JsonObject()
        .put("draft_id", TestHttp.json(draft).getString("draft_id")).put("alias", "prod"));
    assertEquals(201, published.statusCode(), published.body());
    return "/v1/web/" + tenant + "/default/" + name + "/prod";
  }

  @Test
  void anotherTenantsHelloIsAnsweredPromptlyWhileOneTenantsLoopsSaturateThePool() throws Exception {
    String loop = deploy("evil", "export const handler = () => { while (true) {} };",
        new JsonObject().put("limits", new JsonObject().put("timeoutMs", LOOP_MS)));
    String hello = deploy("acme", "export const handler = () => ({statusCode: 200, body: 'hello'});",
        new JsonObject());
    assertEquals(200, http.get(hello).statusCode(), "warm-up");

    HttpClient client = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<Void>>> loops = new ArrayList<>();
    long loopsSent = System.nanoTime();
    for (int i = 0; i < 2 * WORKERS; i++) {
      loops.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://" + platform.host() + ":"
              + platform.port() + loop)).header("authorization", "Bearer " + platform.security().adminToken().token())
          .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding()));
    }
    // the loops are queued and running before the other tenant calls
    Thread.sleep(1_000);

    List<Long> latencies = new ArrayList<>();
    while (latencies.size() < 20 && elapsedMs(loopsSent) < LOOP_MS - 1_500) {
      long start = System.nanoTime();
      HttpResponse<String> answer = http.get(hello);
      latencies.add(elapsedMs(start));
      assertEquals(200, answer.statusCode(), answer.body());
    }
    boolean loopsStillRunning = elapsedMs(loopsSent) < LOOP_MS;

    Collections.sort(latencies);
    long p50 = latencies.get(latencies.size() / 2);
    long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
    System.out.printf("tenant fairness: %d hellos beside %d %d ms loops of another tenant on %d workers: "
        + "p50 %d ms, p99 %d ms%n", latencies.size(), 2 * WORKERS, LOOP_MS, WORKERS, p50, p99);
    assertTrue(p99 < P99_BOUND_MS, "p99 " + p99 + " ms: " + latencies);
    assertTrue(loopsStillRunning, "the loops ended before the hellos did; the measurement proves nothing");
    assertTrue(latencies.size() >= 5, "only " + latencies.size() + " hellos fit beside the loops: " + latencies);
    loops.forEach(call -> call.cancel(true));
  }

  static long elapsedMs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
