package io.codesous.store;

import io.codesous.kv.KvStore;
import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.model.ActivationOutcome;
import io.codesous.spec.model.ActivationRecord;
import io.codesous.spec.model.ActivationStatus;
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

  static ActivationOutcome outcome(String status, long at) {
    return new ActivationOutcome(ActivationStatus.fromWire(status), at, at, null, null, ActivationOutcome.Logs.NONE);
  }

  @Test
  void anotherAttemptIsBusyWhileTheLeaseHoldsAndLostAfterIt() throws Exception {
    InvocationRequest req = request();
    assertInstanceOf(ActivationStore.Claim.Owned.class, await(store.claim(req, "a", 1_000, true)));

    ActivationStore.Claim busy = await(store.claim(req, "b", 1_000, true));
    assertEquals(1_001_000, assertInstanceOf(ActivationStore.Claim.Busy.class, busy).leaseUntilMs());

    clock.addAndGet(1_001);
    JsonObject second = assertInstanceOf(ActivationStore.Claim.Owned.class, await(store.claim(req, "b", 1_000, true)))
        .record().toJson();
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
        .record().toJson();
    assertEquals(2, retried.getInteger("attempt"));
  }

  @Test
  void anAttemptThatEndsAfterBeingTakenOverLeavesTheRecordToTheNewerAttemptAndIsShownAsSuperseded() throws Exception {
    InvocationRequest req = request();
    ActivationRecord first = ((ActivationStore.Claim.Owned) await(store.claim(req, "slow", 1_000, true))).record();
    clock.addAndGet(5_000);
    ActivationRecord second = ((ActivationStore.Claim.Owned) await(store.claim(req, "other", 1_000, true))).record();

    JsonObject afterLate = await(store.complete(first, outcome("success", clock.get()))).toJson();
    assertEquals("running", afterLate.getString("status"), "the late run does not end the newer attempt's record");
    assertEquals(2, afterLate.getInteger("attempt"));

    JsonObject terminal = await(store.complete(second, outcome("error", clock.get()))).toJson();
    assertEquals("error", terminal.getString("status"));
    JsonArray attempts = await(store.get("acme", "default", req.activationId())).toJson().getJsonArray("attempts");
    assertEquals("superseded", attempts.getJsonObject(0).getString("outcome"));
    assertEquals("success", attempts.getJsonObject(0).getString("ran_to"));
    assertEquals("error", attempts.getJsonObject(1).getString("outcome"));
  }

  @Test
  void aCompletionAfterTheTerminalRecordKeepsItAndRecordsThatItRanToo() throws Exception {
    InvocationRequest req = request();
    ActivationRecord first = ((ActivationStore.Claim.Owned) await(store.claim(req, "slow", 1_000, true))).record();
    clock.addAndGet(5_000);
    ActivationRecord second = ((ActivationStore.Claim.Owned) await(store.claim(req, "other", 1_000, true))).record();
    await(store.complete(second, outcome("success", clock.get())));

    JsonObject stands = await(store.complete(first, outcome("timeout", clock.get()))).toJson();
    assertEquals("success", stands.getString("status"));
    assertEquals(2, stands.getInteger("attempt"));
    JsonObject record = await(store.get("acme", "default", req.activationId())).toJson();
    assertEquals("superseded", record.getJsonArray("attempts").getJsonObject(0).getString("outcome"));
    assertEquals("timeout", record.getJsonArray("attempts").getJsonObject(0).getString("ran_to"));
    assertEquals("success", record.getString("status"));
  }

  @Test
  void aRecordThatEndedIsDoneForEveryLaterClaim() throws Exception {
    InvocationRequest req = request();
    ActivationRecord running = ((ActivationStore.Claim.Owned) await(store.claim(req, "a", 1_000, true))).record();
    await(store.complete(running, outcome("success", clock.get())));
    JsonObject done = assertInstanceOf(ActivationStore.Claim.Done.class, await(store.claim(req, "b", 1_000, true)))
        .record().toJson();
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

    ActivationRecord running = assertInstanceOf(ActivationStore.Claim.Owned.class, await(counted.claim(req, "a", 1_000, true)))
        .record();
    JsonObject terminal = await(counted.complete(running, outcome("success", clock.get()))).toJson();

    // the claim's record and index member in one call (one task or round trip where the backend can), no read
    assertEquals(List.of("putIfAbsentThenIndexAdd", "compareAndSet"), calls);
    assertEquals(terminal, await(store.get("acme", "default", req.activationId())).toJson());
    assertEquals("success", terminal.getJsonArray("attempts").getJsonObject(0).getString("outcome"));
    assertEquals(null, terminal.getValue("lease_until_ms"));
  }

  @Test
  void membersOfAnActivationIndexStartedBeforeTheRetentionAreRemovedBesideALaterClaimAtMostOnceAMinute()
      throws Exception {
    List<String> trims = new ArrayList<>();
    KvStore counting = (KvStore) Proxy.newProxyInstance(KvStore.class.getClassLoader(), new Class<?>[] {KvStore.class},
        (proxy, method, args) -> {
          if (method.getName().equals("indexTrimBelow")) {
            trims.add(args[0] + " below " + args[1]);
          }
          return method.invoke(kv, args);
        });
    store = new ActivationStore(counting, clock::get, Duration.ofHours(1));
    String index = KvKeys.activationIndex("acme", "default", "fn");
    InvocationRequest old = request();
    claimAndComplete(old);
    // an index seen for the first time is trimmed an interval later, not at its first claim
    assertEquals(List.of(), trims);
    clock.addAndGet(Duration.ofMinutes(30).toMillis());
    InvocationRequest recent = request();
    claimAndComplete(recent);
    assertEquals(List.of(index + " below " + (clock.get() - Duration.ofHours(1).toMillis())), trims);
    clock.addAndGet(Duration.ofMinutes(30).toMillis() + 1);
    InvocationRequest now = request();
    claimAndComplete(now);
    // the first claim, older than the retention, is gone from the index; the two within it stay
    awaitIndex(index, List.of(now.activationId(), recent.activationId()));

    // within a minute of that trim, claims trim nothing; a minute after, one does
    trims.clear();
    await(kv.indexAdd(index, "long-expired", 5));
    claimAndComplete(request());
    clock.addAndGet(ExpiredIndexMembers.INTERVAL_MS - 1);
    claimAndComplete(request());
    assertEquals(List.of(), trims);
    clock.addAndGet(1);
    claimAndComplete(request());
    assertEquals(1, trims.size());
    awaitIndexWithout(index, "long-expired");
  }

  @Test
  void anIndexThatGrewForLongIsTrimmedInStoreCallsOfAtMostMaxTrimMembers() throws Exception {
    String index = KvKeys.activationIndex("acme", "default", "fn");
    claimAndComplete(request());
    for (int i = 0; i < KvStore.MAX_TRIM * 2 + 7; i++) {
      await(kv.indexAdd(index, "expired-" + i, i));
    }
    clock.addAndGet(Duration.ofHours(1).toMillis() + 1);
    InvocationRequest now = request();
    claimAndComplete(now);
    awaitIndex(index, List.of(now.activationId()));
  }

  private void claimAndComplete(InvocationRequest req) throws Exception {
    ActivationRecord running = assertInstanceOf(ActivationStore.Claim.Owned.class,
        await(store.claim(req, "a", 1_000, true))).record();
    await(store.complete(running, outcome("success", clock.get())));
  }

  /** The trim runs beside the claim, which does not wait for it: look until the index is as expected. */
  private void awaitIndex(String index, List<String> expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<String> members = await(kv.indexRange(index, 10_000, true));
    while (!members.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(10);
      members = await(kv.indexRange(index, 10_000, true));
    }
    assertEquals(expected, members);
  }

  private void awaitIndexWithout(String index, String member) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (await(kv.indexRange(index, 10_000, true)).contains(member) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(false, await(kv.indexRange(index, 10_000, true)).contains(member));
  }

  @Test
  void aRecordTheGatewayMarkedQueuedIsClaimedAsTheFirstAttempt() throws Exception {
    InvocationRequest req = request();
    assertEquals(true, await(store.markQueued(req)));
    ActivationRecord running = assertInstanceOf(ActivationStore.Claim.Owned.class, await(store.claim(req, "a", 1_000, true)))
        .record();
    assertEquals(1, running.attempt());
    assertEquals("running", await(store.get("acme", "default", req.activationId())).toJson().getString("status"));
    assertEquals("success", await(store.complete(running, outcome("success", clock.get()))).toJson().getString("status"));
  }

  @Test
  void oneUnreadableRecordLeavesTheRestOfItsFunctionsListReadable() throws Exception {
    InvocationRequest good = request();
    InvocationRequest bad = request();
    for (InvocationRequest req : List.of(good, bad)) {
      ActivationRecord running = assertInstanceOf(ActivationStore.Claim.Owned.class,
          await(store.claim(req, "a", 1_000, true))).record();
      await(store.complete(running, outcome("error", clock.get())));
      clock.addAndGet(1);
    }
    // a record as stored before error texts were capped: one string past the JSON reader's 20 M character limit
    String huge = new JsonObject().put("activation_id", bad.activationId()).put("status", "error")
        .put("error", new JsonObject().put("code", "CS_RUNTIME_EXCEPTION").put("message", "e".repeat(21_000_000)))
        .encode();
    await(kv.put(KvKeys.activation("acme", "default", bad.activationId()), huge, Duration.ofHours(1)));

    List<ActivationRecord> listed = await(store.list("acme", "default", "fn", 10));

    assertEquals(List.of(good.activationId()), listed.stream().map(ActivationRecord::activationId).toList());
  }
}
