package io.codesous.store;

import io.codesous.kv.redis.RedisKvOptions;
import io.codesous.kv.redis.RedisKvStore;
import io.codesous.spec.kv.KvKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Idempotency keys on the shared Redis: one create-only binding per key, whatever the race, and a release. */
class IdempotencyKeyStoreIT {

  Vertx vertx;
  RedisKvStore kv;
  ActivationStore store;
  /** Unique per run, so runs and other suites on the shared server never meet. */
  final String tenant = "idem-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    kv = new RedisKvStore(vertx, new RedisKvOptions().setConnectionString("redis://127.0.0.1:6379"));
    kv.start().await(20, TimeUnit.SECONDS);
    store = new ActivationStore(kv, System::currentTimeMillis, Duration.ofHours(1));
  }

  @AfterEach
  void stop() throws Exception {
    kv.delete(KvKeys.idempotency(tenant, "default", "fn", "k1")).await(20, TimeUnit.SECONDS);
    kv.stop().await(20, TimeUnit.SECONDS);
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void concurrentCallsWithOneKeyBindExactlyOneActivation() throws Exception {
    List<Future<ActivationStore.IdempotentCall>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(store.claimIdempotencyKey(tenant, "default", "fn", "k1", "req-a", "act-" + i, Duration.ofMinutes(5)));
    }
    Future.all(calls).await(20, TimeUnit.SECONDS);
    List<ActivationStore.IdempotentCall> firsts = calls.stream().map(Future::result)
        .filter(ActivationStore.IdempotentCall::first).toList();
    assertEquals(1, firsts.size(), "exactly one call starts the activation");
    String bound = firsts.get(0).activationId();
    for (Future<ActivationStore.IdempotentCall> call : calls) {
      assertEquals(bound, call.result().activationId());
      assertTrue(call.result().sameRequest());
    }
    String stored = kv.get(KvKeys.idempotency(tenant, "default", "fn", "k1")).await(20, TimeUnit.SECONDS);
    assertTrue(stored.contains(bound), "the binding is stored under the tenant's key: " + stored);
  }

  @Test
  void aDifferentRequestIsToldApartAndAReleasedKeyBindsAgain() throws Exception {
    store.claimIdempotencyKey(tenant, "default", "fn", "k1", "req-a", "act-1", Duration.ofMinutes(5))
        .await(20, TimeUnit.SECONDS);
    ActivationStore.IdempotentCall other = store.claimIdempotencyKey(tenant, "default", "fn", "k1", "req-b", "act-2",
        Duration.ofMinutes(5)).await(20, TimeUnit.SECONDS);
    assertFalse(other.first());
    assertFalse(other.sameRequest());
    assertEquals("act-1", other.activationId());

    assertTrue(store.releaseIdempotencyKey(tenant, "default", "fn", "k1").await(20, TimeUnit.SECONDS));
    ActivationStore.IdempotentCall again = store.claimIdempotencyKey(tenant, "default", "fn", "k1", "req-b", "act-3",
        Duration.ofMinutes(5)).await(20, TimeUnit.SECONDS);
    assertTrue(again.first());
    assertEquals("act-3", again.activationId());
  }
}
