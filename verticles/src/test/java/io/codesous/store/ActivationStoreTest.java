package io.codesous.store;

import io.codesous.kv.KvStore;
import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.Trigger;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.codesous.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Claims, leases and completions of activation records: one terminal record, and no attempt hidden. */
class ActivationStoreTest {

  Vertx vertx;
  InMemoryKvStore kv;
  final AtomicLong clock = new AtomicLong(1_000_000);
  ActivationStore store;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    kv = new InMemoryKvStore(vertx);
    await(kv.start());
    store = new ActivationStore(kv, clock::get, Duration.ofHours(1));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  static InvocationRequest request() {
    String id = UUID.randomUUID().toString();
    return new InvocationRequest(id, "req-" + id, "acme", "default", "fn", "1", 1, new Trigger(Trigger.HTTP, null),
        null, new JsonObject(), 2_000_000, 5_000, null, null, null, 1_000_000, 1);
  }

  static JsonObject outcome(String status, long at) {
    return new JsonObject().put("status", status).put("start_ms", at).put("end_ms", at).put("duration_ms", 0)
        .put("logs", new JsonObject().put("count", 0).put("chunks", 0));
  }

  @Test
  void anotherAttemptIsBusyWhileTheLeaseHoldsAndLostAfterIt() throws Exception {
    InvocationRequest req = request();
    assertInstanceOf(ActivationStore.Claim.Owned.class, await(store.claim(req, "a", 1_000, true)));

    ActivationStore.Claim busy = await(store.claim(req, "b", 1_000, true));
    assertEquals(1_001_000, assertInstanceOf(ActivationStore.Claim.Busy.class, busy).leaseUntilMs());

    clock.addAndGet(1_001);
    JsonObject second = assertInstanceOf(ActivationStore.Claim.Owned.class, await(store.claim(req, "b", 1_000, true)))
        .record();
    assertEquals(2, second.getInteger("attempt"));
    assertEquals("lost", second.getJsonArray("attempts").getJsonObject(0).getString("outcome"));
  }

  @Test
  void anInvokerThatNoLongerRunsItsOwnAttemptTakesItOverAtOnce() throws Exception {
    InvocationRequest req = request();
    await(store.claim(req, "a", 60_000, true));
    assertInstanceOf(ActivationStore.Claim.Busy.class, await(store.claim(req, "a", 60_000, false)),
        "still running here: a second copy waits");
    JsonObject retried = assertInstanceOf(ActivationStore.Claim.Owned.class, await(store.claim(req, "a", 60_000, true)))
        .record();
    assertEquals(2, retried.getInteger("attempt"));
  }

  @Test
  void anAttemptThatEndsAfterBeingTakenOverLeavesTheRecordToTheNewerAttemptAndIsShownAsSuperseded() throws Exception {
    InvocationRequest req = request();
    JsonObject first = ((ActivationStore.Claim.Owned) await(store.claim(req, "slow", 1_000, true))).record();
    clock.addAndGet(5_000);
    JsonObject second = ((ActivationStore.Claim.Owned) await(store.claim(req, "other", 1_000, true))).record();

    JsonObject afterLate = await(store.complete(first, outcome("success", clock.get())));
    assertEquals("running", afterLate.getString("status"), "the late run does not end the newer attempt's record");
    assertEquals(2, afterLate.getInteger("attempt"));

    JsonObject terminal = await(store.complete(second, outcome("error", clock.get())));
    assertEquals("error", terminal.getString("status"));
    JsonArray attempts = await(store.get("acme", "default", req.activationId())).getJsonArray("attempts");
    assertEquals("superseded", attempts.getJsonObject(0).getString("outcome"));
    assertEquals("success", attempts.getJsonObject(0).getString("ran_to"));
    assertEquals("error", attempts.getJsonObject(1).getString("outcome"));
  }

  @Test
  void aCompletionAfterTheTerminalRecordKeepsItAndRecordsThatItRanToo() throws Exception {
    InvocationRequest req = request();
    JsonObject first = ((ActivationStore.Claim.Owned) await(store.claim(req, "slow", 1_000, true))).record();
    clock.addAndGet(5_000);
    JsonObject second = ((ActivationStore.Claim.Owned) await(store.claim(req, "other", 1_000, true))).record();
    await(store.complete(second, outcome("success", clock.get())));

    JsonObject stands = await(store.complete(first, outcome("timeout", clock.get())));
    assertEquals("success", stands.getString("status"));
    assertEquals(2, stands.getInteger("attempt"));
    JsonObject record = await(store.get("acme", "default", req.activationId()));
    assertEquals("superseded", record.getJsonArray("attempts").getJsonObject(0).getString("outcome"));
    assertEquals("timeout", record.getJsonArray("attempts").getJsonObject(0).getString("ran_to"));
    assertEquals("success", record.getString("status"));
  }

  @Test
  void aRecordThatEndedIsDoneForEveryLaterClaim() throws Exception {
    InvocationRequest req = request();
    JsonObject running = ((ActivationStore.Claim.Owned) await(store.claim(req, "a", 1_000, true))).record();
    await(store.complete(running, outcome("success", clock.get())));
    JsonObject done = assertInstanceOf(ActivationStore.Claim.Done.class, await(store.claim(req, "b", 1_000, true)))
        .record();
    assertEquals("success", done.getString("status"));
    assertEquals(null, done.getValue("lease_until_ms"), "a terminal record carries no lease");
  }

  @Test
  void aFirstDeliveryClaimsAndCompletesWithoutReadingTheRecord() throws Exception {
    List<String> calls = new ArrayList<>();
    KvStore counting = (KvStore) Proxy.newProxyInstance(KvStore.class.getClassLoader(), new Class<?>[] {KvStore.class},
        (proxy, method, args) -> {
          calls.add(method.getName());
          return method.invoke(kv, args);
        });
    ActivationStore counted = new ActivationStore(counting, clock::get, Duration.ofHours(1));
    InvocationRequest req = request();

    JsonObject running = assertInstanceOf(ActivationStore.Claim.Owned.class, await(counted.claim(req, "a", 1_000, true)))
        .record();
    JsonObject terminal = await(counted.complete(running, outcome("success", clock.get())));

    assertEquals(List.of("putIfAbsent", "indexAdd", "compareAndSet"), calls, "one round trip per write, no read");
    assertEquals(terminal, await(store.get("acme", "default", req.activationId())));
    assertEquals("success", terminal.getJsonArray("attempts").getJsonObject(0).getString("outcome"));
    assertEquals(null, terminal.getValue("lease_until_ms"));
  }

  @Test
  void aRecordTheGatewayMarkedQueuedIsClaimedAsTheFirstAttempt() throws Exception {
    InvocationRequest req = request();
    assertEquals(true, await(store.markQueued(req)));
    JsonObject running = assertInstanceOf(ActivationStore.Claim.Owned.class, await(store.claim(req, "a", 1_000, true)))
        .record();
    assertEquals(1, running.getInteger("attempt"));
    assertEquals("running", await(store.get("acme", "default", req.activationId())).getString("status"));
    assertEquals("success", await(store.complete(running, outcome("success", clock.get()))).getString("status"));
  }
}
