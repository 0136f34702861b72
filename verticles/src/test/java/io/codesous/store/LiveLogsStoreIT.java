package io.codesous.store;

import io.codesous.kv.redis.RedisKvOptions;
import io.codesous.kv.redis.RedisKvStore;
import io.codesous.spec.kv.KvKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live chunks of a running activation's log on the shared Redis: in order, per attempt, under the tenant. */
class LiveLogsStoreIT {

  Vertx vertx;
  RedisKvStore kv;
  ActivationStore store;
  /** Unique per run, so runs and other suites on the shared server never meet. */
  final String tenant = "live-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    // a command budget for a machine whose cores are shared by many builds: the default 2 s lets a loaded JVM's
    // first PING (class loading, the event loop's start) time out before Redis was even asked
    kv = new RedisKvStore(vertx, new RedisKvOptions().setConnectionString("redis://127.0.0.1:6379")
        .setCommandTimeoutMs(10_000));
    kv.start().await(20, TimeUnit.SECONDS);
    store = new ActivationStore(kv, System::currentTimeMillis, Duration.ofHours(1));
  }

  @AfterEach
  void stop() throws Exception {
    for (int chunk = 0; chunk < 2; chunk++) {
      kv.delete(KvKeys.activationLiveLogs(tenant, "default", "act-1", 1, chunk)).await(20, TimeUnit.SECONDS);
    }
    kv.stop().await(20, TimeUnit.SECONDS);
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  private static JsonArray entries(int fromSeq, String... messages) {
    JsonArray entries = new JsonArray();
    for (String message : messages) {
      entries.add(new JsonObject().put("seq", fromSeq++).put("ts_ms", 1L).put("level", "info").put("message", message));
    }
    return entries;
  }

  @Test
  void chunksAreReadBackInTheOrderWrittenAndOnlyForTheirAttempt() throws Exception {
    Duration ttl = Duration.ofMinutes(1);
    store.writeLiveLogs(tenant, "default", "act-1", 1, 0, entries(0, "a", "b"), ttl).await(20, TimeUnit.SECONDS);
    store.writeLiveLogs(tenant, "default", "act-1", 1, 1, entries(2, "c"), ttl).await(20, TimeUnit.SECONDS);

    assertEquals(entries(0, "a", "b"), store.liveLogs(tenant, "default", "act-1", 1, 0).await(20, TimeUnit.SECONDS));
    assertEquals(entries(2, "c"), store.liveLogs(tenant, "default", "act-1", 1, 1).await(20, TimeUnit.SECONDS));
    assertNull(store.liveLogs(tenant, "default", "act-1", 1, 2).await(20, TimeUnit.SECONDS), "not written yet");
    assertNull(store.liveLogs(tenant, "default", "act-1", 2, 0).await(20, TimeUnit.SECONDS),
        "a later attempt starts its own chunks");
    assertNull(store.liveLogs("other-" + tenant, "default", "act-1", 1, 0).await(20, TimeUnit.SECONDS),
        "another tenant reads under its own keys");
    assertTrue(KvKeys.activationLiveLogs(tenant, "default", "act-1", 1, 0).startsWith("cs:" + tenant + ":"),
        "the tenant leads the key");
  }
}
