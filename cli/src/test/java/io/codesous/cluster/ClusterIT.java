package io.codesous.cluster;

import io.codesous.kv.redis.RedisKeyCleanup;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import io.codesous.auth.secret.SecretBox;
import io.codesous.auth.token.LocalSigningKey;
import io.codesous.auth.token.LocalSigningKeyOptions;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster shape for real: two gateway processes and two invoker processes (separate JVMs) on
 * one Redis and one Kafka broker, joined by a Hazelcast cluster that carries results back to the
 * waiting gateway. Then one invoker is killed with SIGKILL while requests are in flight.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  static final String REDIS = "redis://127.0.0.1:6379";
  static final String TENANT = "it-" + UUID.randomUUID().toString().substring(0, 8);
  static final String NS = "/v1/tenants/" + TENANT + "/namespaces/default";
  static final String HANDLER = """
      export async function handler(event) {
        const n = Number(event.queryStringParameters.n);
        const until = Date.now() + Number(event.queryStringParameters.ms || 0);
        while (Date.now() < until) {}
        return { statusCode: 200, body: String(n * 2) };
      }
      """;

  /** Kept when a test fails: the processes' logs and configurations are in it. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dir;

  KafkaForTests kafka;
  final List<CsProcess> processes = new ArrayList<>();
  CsProcess gateway1;
  CsProcess gateway2;
  CsProcess invoker1;
  CsProcess invoker2;
  /** HTTP/1.1, a connection per request in flight, as load balancers in front of gateways speak it. */
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  final List<String> activationIds = new ArrayList<>();

  /** The operator's signing key: the processes trust its public half from their configuration. */
  LocalSigningKey operatorKey;
  String token;
  final String secretsKey = SecretBox.generateBase64Key();

  @BeforeAll
  void startCluster() throws Exception {
    operatorKey = LocalSigningKey.loadOrCreate(new LocalSigningKeyOptions().setDataDir(dir.resolve("operator").toString()));
    token = operatorKey.mint("cluster-test", TENANT, Set.of("admin"), Duration.ofHours(1));
    kafka = KafkaForTests.start();
    int[] hz = {CsProcess.freePort(), CsProcess.freePort(), CsProcess.freePort(), CsProcess.freePort()};
    String members = "[" + java.util.Arrays.stream(hz).mapToObj(p -> "\"127.0.0.1:" + p + "\"")
        .collect(Collectors.joining(", ")) + "]";
    gateway1 = start("gateway1", hz[0], members, "control,gateway");
    gateway2 = start("gateway2", hz[1], members, "control,gateway");
    invoker1 = start("invoker1", hz[2], members, "invoker");
    invoker2 = start("invoker2", hz[3], members, "invoker");
    for (CsProcess p : processes) {
      p.awaitReady(http, Duration.ofSeconds(120));
    }
  }

  private CsProcess start(String name, int hazelcastPort, String members, String components) throws Exception {
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
        cluster:
          enabled: true
          port: %d
          members: %s
        gateway:
          waitMs: 25000
        invoker:
          workerPoolSize: 2
          retryDelayMs: 200
          leaseMarginMs: 2000
        auth:
          localKey: false
          token:
            jwks: %s
        secrets:
          key: %s
        """.formatted(REDIS, kafka.clientSettingsYaml("    "), hazelcastPort, members, operatorKey.publicJwkSet().encode(),
        secretsKey);
    CsProcess process = CsProcess.start(name, dir, yaml, CsProcess.freePort(), components);
    processes.add(process);
    return process;
  }

  @AfterAll
  void stopCluster() throws Exception {
    for (CsProcess p : processes) {
      p.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    // the tenant is this run's own: its keys go, nothing else on the shared Redis is touched
    RedisKeyCleanup.deleteTenant(REDIS, TENANT);
  }

  HttpResponse<String> send(String method, String url, JsonObject body) throws Exception {
    return CsProcess.send(http, token, method, url, body);
  }

  @Test
  @Order(1)
  void publishingFromTwoProcessesAtOnceYieldsDistinctVersions() throws Exception {
    HttpResponse<String> created = send("POST", gateway1.base() + NS + "/functions", new JsonObject().put("name", "double"));
    assertEquals(201, created.statusCode(), created.body());
    // a short timeout keeps the claims' leases short, so the survivor takes a killed invoker's work over soon
    JsonObject upload = new JsonObject().put("files", new JsonObject().put("index.mjs", HANDLER))
        .put("manifest", new JsonObject().put("limits", new JsonObject().put("timeoutMs", 5000)));
    // twenty drafts that differ (a comment each): a draft equal to the latest version publishes nothing new
    List<String> drafts1 = new ArrayList<>();
    List<String> drafts2 = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      JsonObject distinct = upload.copy();
      distinct.getJsonObject("files").put("index.mjs", HANDLER + "\n// " + i + "\n");
      String base = (i % 2 == 0 ? gateway1 : gateway2).base();
      (i % 2 == 0 ? drafts1 : drafts2).add(new JsonObject(send("POST", base + NS + "/functions/double/drafts",
          distinct).body()).getString("draft_id"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String draft1 = drafts1.get(i);
        String draft2 = drafts2.get(i);
        calls.add(pool.submit(() -> send("POST", gateway1.base() + NS + "/functions/double/versions",
            new JsonObject().put("draft_id", draft1))));
        calls.add(pool.submit(() -> send("POST", gateway2.base() + NS + "/functions/double/versions",
            new JsonObject().put("draft_id", draft2))));
      }
      Set<Long> versions = new HashSet<>();
      for (Future<HttpResponse<String>> call : calls) {
        HttpResponse<String> r = call.get(60, TimeUnit.SECONDS);
        assertEquals(201, r.statusCode(), r.body());
        versions.add(new JsonObject(r.body()).getLong("version"));
      }
      assertEquals(20, versions.size(), "20 publishes, 20 distinct versions: " + versions);
      assertEquals(Set.copyOf(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList()), versions);
    } finally {
      pool.shutdownNow();
    }
    HttpResponse<String> alias = send("PUT", gateway2.base() + NS + "/functions/double/aliases/prod",
        new JsonObject().put("version", 20));
    assertEquals(200, alias.statusCode(), alias.body());
  }

  @Test
  @Order(2)
  void aThousandSyncInvokesOverBothGatewaysAreAllAnsweredCorrectly() throws Exception {
    int total = 1000;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        CsProcess gateway = i % 2 == 0 ? gateway1 : gateway2;
        String url = gateway.base() + "/v1/web/" + TENANT + "/default/double/prod?n=" + i;
        calls.add(pool.submit(() -> send("GET", url, null)));
      }
      for (int i = 0; i < total; i++) {
        HttpResponse<String> r = calls.get(i).get(120, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(Integer.toString(2 * i), r.body());
        activationIds.add(r.headers().firstValue("x-cs-activation-id").orElseThrow());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(total, new HashSet<>(activationIds).size());
  }

  @Test
  @Order(3)
  void killingAnInvokerMidRunLosesNothingAndRunsNothingTwice() throws Exception {
    int inFlight = 200;
    Semaphore concurrency = new Semaphore(inFlight);
    List<CompletableFuture<HttpResponse<String>>> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService sender = Executors.newSingleThreadExecutor();
    Future<?> sending = sender.submit(() -> {
      for (int i = 0; i < inFlight; i++) {
        CsProcess gateway = i % 2 == 0 ? gateway1 : gateway2;
        URI url = URI.create(gateway.base() + "/v1/web/" + TENANT + "/default/double/prod?ms=150&n=" + i);
        concurrency.acquireUninterruptibly();
        calls.add(http.sendAsync(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(90))
                .header("authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> concurrency.release()));
      }
    });
    // kill invoker1 while it holds a claimed, running activation: its lease must then run out
    // and another invoker take the activation over
    String victim = invokerId(invoker1);
    Vertx vertx = Vertx.vertx();
    try {
      awaitRunningOn(RedisAPI.api(Redis.createClient(vertx, REDIS)), victim, Duration.ofSeconds(60));
      invoker1.killHard();
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
    sending.get(120, TimeUnit.SECONDS);
    sender.shutdown();
    List<String> accepted = new ArrayList<>();
    int pending = 0;
    for (int i = 0; i < inFlight; i++) {
      HttpResponse<String> r = calls.get(i).get(120, TimeUnit.SECONDS);
      assertTrue(r.statusCode() == 200 || r.statusCode() == 202, r.statusCode() + " " + r.body());
      if (r.statusCode() == 200) {
        assertEquals(Integer.toString(2 * i), r.body());
      } else {
        pending++;
      }
      accepted.add(r.headers().firstValue("x-cs-activation-id").orElseThrow());
    }
    assertFalse(invoker1.isAlive());

    List<String> all = new ArrayList<>(activationIds);
    all.addAll(accepted);
    int lost = 0;
    java.util.Map<String, Integer> perInvoker = new java.util.TreeMap<>();
    for (String id : all) {
      JsonObject record = awaitTerminal(id, Duration.ofSeconds(120));
      for (Object a : record.getJsonArray("attempts")) {
        perInvoker.merge(((JsonObject) a).getString("invoker"), 1, Integer::sum);
      }
      assertEquals("success", record.getString("status"), record.encode());
      JsonArray attempts = record.getJsonArray("attempts");
      // a run that ended after another attempt took over is kept as "superseded": it counts here
      long completed = attempts.stream().map(a -> ((JsonObject) a).getString("outcome"))
          .filter(o -> o != null && !o.equals("lost")).count();
      assertEquals(1, completed, "exactly one attempt ran to completion: " + record.encode());
      assertEquals(attempts.size() - 1, attempts.stream().filter(a -> "lost".equals(((JsonObject) a)
          .getString("outcome"))).count(), "every other attempt was lost: " + record.encode());
      lost += attempts.size() - 1;
    }
    System.out.printf("cluster: %d activations terminal, %d answered 202 during the kill, %d lost attempts; "
        + "attempts per invoker: %s%n", all.size(), pending, lost, perInvoker);
    assertEquals(2, perInvoker.size(), "both invokers ran activations: " + perInvoker);
    assertTrue(lost > 0, "the killed invoker's claimed activations show up as lost attempts");
  }

  /** The id an invoker process records on its attempts, from its start-up log line. */
  private static String invokerId(CsProcess invoker) throws Exception {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("invoker (\\S+) consuming ")
        .matcher(invoker.logText());
    assertTrue(m.find(), invoker.name() + " logs its invoker id");
    return m.group(1);
  }

  /** Waits until some activation record of this run's tenant is running on {@code invokerId}. */
  private static void awaitRunningOn(RedisAPI redis, String invokerId, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String cursor = "0";
      do {
        var page = redis.scan(List.of(cursor, "MATCH", "cs:" + TENANT + ":default:act:*", "COUNT", "1000"))
            .await(10, TimeUnit.SECONDS);
        cursor = page.get(0).toString();
        List<String> records = new ArrayList<>();
        page.get(1).forEach(key -> {
          if (!key.toString().contains(":logs:")) {
            records.add(key.toString());
          }
        });
        if (!records.isEmpty()) {
          for (var raw : redis.mget(records).await(10, TimeUnit.SECONDS)) {
            if (raw != null && runsOn(new JsonObject(raw.toString()), invokerId)) {
              return;
            }
          }
        }
      } while (!cursor.equals("0"));
      Thread.sleep(5);
    }
    throw new AssertionError("no activation ran on " + invokerId + " within " + timeout);
  }

  private static boolean runsOn(JsonObject record, String invokerId) {
    if (!"running".equals(record.getString("status"))) {
      return false;
    }
    JsonArray attempts = record.getJsonArray("attempts");
    JsonObject current = attempts.getJsonObject(attempts.size() - 1);
    return invokerId.equals(current.getString("invoker"));
  }

  private JsonObject awaitTerminal(String id, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonObject record = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = send("GET", gateway1.base() + NS + "/activations/" + id, null);
      if (r.statusCode() == 200) {
        record = new JsonObject(r.body());
        String status = record.getString("status");
        if (!status.equals("queued") && !status.equals("running")) {
          return record;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("activation " + id + " not terminal: " + record);
  }
}
