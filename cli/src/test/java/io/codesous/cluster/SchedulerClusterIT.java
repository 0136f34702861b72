package io.codesous.cluster;

import io.codesous.auth.secret.SecretBox;
import io.codesous.auth.token.LocalSigningKey;
import io.codesous.auth.token.LocalSigningKeyOptions;
import io.codesous.kv.redis.RedisKeyCleanup;
import io.codesous.scheduler.RedisDatabases;
import io.codesous.spec.kv.KvKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two scheduler processes (separate JVMs) on one Redis and one Kafka broker, beside a process with the control
 * API and an invoker; 200 schedules tick every 4 s (50 runs a second: on 2 cores a single invoker beside four
 * JVMs and a broker keeps up with that, and the window still holds a few ticks before and after the kill). The leading scheduler is killed with SIGKILL: the standby
 * takes over once the lease has run out, and every scheduled time of the test's window ran exactly once (a run
 * writes a key of its own, so a second run of a tick would show as a second key).
 *
 * <p>The scheduler's lease and its list of schedules are deployment-wide keys, so these processes use a Redis
 * database claimed for the test ({@link RedisDatabases}): other schedulers on the same Redis (other test runs)
 * cannot take the lead from them or walk their schedules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulerClusterIT {

  static final int SCHEDULES = 200;
  static final long LEASE_MS = 3_000;
  static final long INTERVAL_MS = 4_000;
  static final String TENANT = "it-sched-" + UUID.randomUUID().toString().substring(0, 8);
  static final String NS = "/v1/tenants/" + TENANT + "/namespaces/default";
  static final String HANDLER = """
      export async function handler(event) {
        const s = event.schedule;
        await cs.kv.set('runs/' + s.name + '/' + s.scheduled_at_ms + '/' + crypto.randomUUID(), '1');
        return 'ok';
      }
      """;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dir;

  final List<CsProcess> processes = new ArrayList<>();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  KafkaForTests kafka;
  CsProcess api;
  CsProcess scheduler1;
  CsProcess scheduler2;
  String token;
  Vertx vertx;
  int db;
  RedisAPI redis;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    db = RedisDatabases.claim(vertx, "127.0.0.1", 6379, "SchedulerClusterIT " + TENANT);
    String redisUri = RedisDatabases.uri("127.0.0.1", 6379, db);
    redis = RedisAPI.api(Redis.createClient(vertx, redisUri));
    // a lease left by an earlier run in this database would only delay the first leader
    redis.del(List.of(KvKeys.schedulerLease())).await(10, TimeUnit.SECONDS);
    LocalSigningKey operator = LocalSigningKey.loadOrCreate(
        new LocalSigningKeyOptions().setDataDir(dir.resolve("operator").toString()));
    token = operator.mint("scheduler-cluster-test", TENANT, Set.of("admin"), Duration.ofHours(1));
    kafka = KafkaForTests.start();
    String yaml = """
        kv:
          backend: redis
          redis:
            connectionString: %s
            commandTimeoutMs: 30000
        codeq:
          backend: kafka
          kafka:
        %s
        scheduler:
          leaseMs: %d
          markerMarginMs: 1000
        invoker:
          workerPoolSize: 2
        auth:
          localKey: false
          token:
            jwks: %s
        secrets:
          key: %s
        """.formatted(redisUri, kafka.clientSettingsYaml("    "), LEASE_MS, operator.publicJwkSet().encode(),
        SecretBox.generateBase64Key());
    api = start("api", yaml, "control,gateway,invoker");
    scheduler1 = start("scheduler1", yaml, "scheduler");
    scheduler2 = start("scheduler2", yaml, "scheduler");
    for (CsProcess p : processes) {
      p.awaitReady(http, Duration.ofSeconds(300));
    }
  }

  private CsProcess start(String name, String yaml, String components) throws Exception {
    CsProcess process = CsProcess.start(name, dir, yaml, CsProcess.freePort(), components);
    processes.add(process);
    return process;
  }

  @AfterAll
  void stop() throws Exception {
    for (CsProcess p : processes) {
      p.close();
    }
    if (redis != null) {
      List<String> entries = new ArrayList<>();
      for (int i = 0; i < SCHEDULES; i++) {
        entries.add(TENANT + ":default:s" + i);
      }
      List<String> zrem = new ArrayList<>(List.of(KvKeys.scheduleRegistry()));
      zrem.addAll(entries);
      redis.zrem(zrem).await(10, TimeUnit.SECONDS);
      List<String> changes = new ArrayList<>(List.of(KvKeys.scheduleChanges()));
      changes.addAll(entries);
      redis.zrem(changes).await(10, TimeUnit.SECONDS);
      redis.del(List.of(KvKeys.schedulerLease())).await(10, TimeUnit.SECONDS);
      RedisKeyCleanup.deleteTenant(redis, TENANT).await(60, TimeUnit.SECONDS);
      RedisDatabases.release(vertx, "127.0.0.1", 6379, db);
    }
    if (vertx != null) {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  HttpResponse<String> send(String method, String url, JsonObject body) throws Exception {
    return CsProcess.send(http, token, method, url, body);
  }

  /** {@code leader}, {@code standby}, or {@code gone} for a process that no longer answers. */
  String role(CsProcess scheduler) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(scheduler.base() + "/readyz"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return new JsonObject(r.body()).getJsonObject("checks").getString("scheduler");
    } catch (Exception e) {
      return "gone";
    }
  }

  @Test
  void whenTheLeadingSchedulerIsKilledTheStandbyTakesOverAndEveryTickOfTheWindowRunsOnce() throws Exception {
    assertEquals(201, send("POST", api.base() + NS + "/functions", new JsonObject().put("name", "tick"))
        .statusCode());
    JsonObject draft = new JsonObject().put("files", new JsonObject().put("index.mjs", HANDLER))
        .put("manifest", new JsonObject().put("limits", new JsonObject().put("timeoutMs", 10_000))
            .put("capabilities", new JsonObject().put("kv", new JsonObject()
                .put("read", new JsonArray().add("runs/")).put("write", new JsonArray().add("runs/")))));
    HttpResponse<String> uploaded = send("POST", api.base() + NS + "/functions/tick/drafts", draft);
    assertEquals(201, uploaded.statusCode(), uploaded.body());
    HttpResponse<String> published = send("POST", api.base() + NS + "/functions/tick/versions",
        new JsonObject().put("draft_id", new JsonObject(uploaded.body()).getString("draft_id")).put("alias", "prod"));
    assertEquals(201, published.statusCode(), published.body());

    JsonObject schedule = new JsonObject().put("function", "tick").put("ref", "prod").put("every", INTERVAL_MS + "ms")
        .put("overlap", "allow");
    for (int i = 0; i < SCHEDULES; i++) {
      HttpResponse<String> put = send("PUT", api.base() + NS + "/schedules/s" + i, schedule);
      assertEquals(200, put.statusCode(), put.body());
    }
    // the window starts at the first tick after every schedule exists
    long windowStart = (System.currentTimeMillis() / INTERVAL_MS + 1) * INTERVAL_MS;

    CsProcess leader = awaitLeader(List.of(scheduler1, scheduler2));
    CsProcess standby = leader == scheduler1 ? scheduler2 : scheduler1;
    Thread.sleep(6_000);
    leader.killHard();
    long killedAt = System.currentTimeMillis();
    CsProcess successor = awaitLeader(List.of(standby));
    long takeoverMs = System.currentTimeMillis() - killedAt;
    System.out.println("the standby led " + takeoverMs + " ms after the leader was killed (lease " + LEASE_MS
        + " ms)");
    // the lease runs out LEASE_MS after its last renewal (at most LEASE_MS/2 before the kill); the standby then
    // wins it on its next poll; the rest is the probe's own resolution
    assertTrue(takeoverMs <= LEASE_MS + 2_000, "takeover took " + takeoverMs + " ms");
    assertEquals(successor, standby);
    Thread.sleep(8_000);
    long windowEnd = (System.currentTimeMillis() / INTERVAL_MS - 1) * INTERVAL_MS;

    // runs of the window's last ticks may still wait for the invoker
    Map<String, Integer> runs = awaitRuns(windowStart, windowEnd);
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < SCHEDULES; i++) {
      JsonArray ticks = new JsonObject(send("GET", api.base() + NS + "/schedules/s" + i + "/ticks?limit=50", null)
          .body()).getJsonArray("ticks");
      for (long at = windowStart; at <= windowEnd; at += INTERVAL_MS) {
        int count = runs.getOrDefault("s" + i + "/" + at, 0);
        if (count == 1 || count == 0 && recordedMissed(ticks, at)) {
          continue;
        }
        problems.add("s" + i + " at " + at + ": " + count + " runs");
      }
    }
    assertTrue(problems.isEmpty(), problems.size() + " ticks did not run exactly once: "
        + problems.subList(0, Math.min(20, problems.size())));
  }

  private CsProcess awaitLeader(List<CsProcess> candidates) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Map<String, String> seen = new HashMap<>();
    while (System.nanoTime() < deadline) {
      for (CsProcess p : candidates) {
        String role = role(p);
        if ("leader".equals(role)) {
          return p;
        }
        seen.merge(p.base() + " " + role, "x", (a, b) -> a);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no scheduler led within 60 s; roles seen: " + seen.keySet());
  }

  /** A tick in a {@code missed} entry: its scheduled time lies in the run of missed ticks that entry counts. */
  private static boolean recordedMissed(JsonArray ticks, long at) {
    for (Object t : ticks) {
      JsonObject tick = (JsonObject) t;
      long first = tick.getLong("scheduled_at_ms");
      if ("missed".equals(tick.getString("outcome")) && at >= first
          && at < first + tick.getLong("count", 1L) * INTERVAL_MS) {
        return true;
      }
    }
    return false;
  }

  /** Every run's key, counted by schedule and scheduled time, once the window's last runs have had their time. */
  private Map<String, Integer> awaitRuns(long windowStart, long windowEnd) throws Exception {
    Map<String, Integer> runs = new HashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    long expected = SCHEDULES * ((windowEnd - windowStart) / INTERVAL_MS + 1);
    while (true) {
      runs.clear();
      long inWindow = 0;
      Response keys = redis.zrange(List.of(KvKeys.tenantDataIndex(TENANT), "0", "-1")).await(10, TimeUnit.SECONDS);
      for (Response key : keys) {
        String[] parts = key.toString().split("/");
        long at = Long.parseLong(parts[2]);
        if (at >= windowStart && at <= windowEnd) {
          runs.merge(parts[1] + "/" + at, 1, Integer::sum);
          inWindow++;
        }
      }
      if (inWindow >= expected || System.nanoTime() > deadline) {
        return runs;
      }
      Thread.sleep(500);
    }
  }
}
