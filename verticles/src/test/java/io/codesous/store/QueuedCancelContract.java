package io.codesous.store;

import io.codesous.kv.KvStore;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.Trigger;
import io.codesous.spec.model.ActivationRecord;
import io.codesous.spec.model.ActivationStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.codesous.testsupport.Await.await;

/**
 * Cancels of activations no invoker has claimed, against one KV: the queued record becomes {@code cancelled}, an
 * activation without a record gets it create-only, and the invoker's usual claim then finds it ended; a claimed or
 * ended activation is left as it is. Run on the in-memory KV ({@link QueuedCancelTest}) and on Redis
 * ({@link QueuedCancelIT}).
 */
abstract class QueuedCancelContract {

  final AtomicLong clock = new AtomicLong(1_000_000);
  /** Unique per run: the Redis server is shared. */
  final String tenant = "qcancel-" + UUID.randomUUID().toString().substring(0, 8);
  ActivationStore activations;
  QueuedCancels cancels;

  /** The KV under test, started. */
  abstract KvStore kv();

  void open() {
    activations = new ActivationStore(kv(), clock::get, Duration.ofHours(1));
    cancels = new QueuedCancels(kv(), clock::get, Duration.ofHours(1));
  }

  InvocationRequest request() {
    String id = UUID.randomUUID().toString();
    return new InvocationRequest(id, "req-" + id, tenant, "default", "fn", "1", 1, new Trigger(Trigger.HTTP, null),
        null, new JsonObject(), 2_000_000, 5_000, null, null, null, 1_000_000, 1);
  }

  @Test
  void aQueuedActivationEndsCancelledAndTheInvokersLaterClaimFindsItEnded() throws Exception {
    InvocationRequest req = request();
    await(activations.markQueued(req));
    clock.addAndGet(50);
    var found = await(cancels.cancel(tenant, "default", req.activationId()));
    ActivationRecord cancelled = assertInstanceOf(QueuedCancels.Found.Cancelled.class, found).record();
    assertEquals(ActivationStatus.CANCELLED, cancelled.status());
    assertEquals("CS_CANCELLED", cancelled.toJson().getJsonObject("error").getString("code"));

    var claim = await(activations.claim(req, "invoker-a", 10_000, true));
    ActivationRecord done = assertInstanceOf(ActivationStore.Claim.Done.class, claim).record();
    assertEquals(ActivationStatus.CANCELLED, done.status());
    assertEquals(ActivationStatus.CANCELLED, done.toResult(req).status());
  }

  @Test
  void anActivationWithoutARecordIsCancelledCreateOnlyAndListedWithItsFunction() throws Exception {
    InvocationRequest req = request();
    var first = await(cancels.cancelUnclaimed(ActivationRecord.queued(req)));
    assertInstanceOf(QueuedCancels.Found.Cancelled.class, first);
    var again = await(cancels.cancelUnclaimed(ActivationRecord.queued(req)));
    assertEquals(ActivationStatus.CANCELLED,
        assertInstanceOf(QueuedCancels.Found.Ended.class, again).record().status());
    assertInstanceOf(ActivationStore.Claim.Done.class, await(activations.claim(req, "invoker-a", 10_000, true)));
    List<ActivationRecord> listed = await(activations.list(tenant, "default", "fn", 10));
    assertEquals(List.of(req.activationId()), listed.stream().map(ActivationRecord::activationId).toList());
  }

  @Test
  void aClaimedActivationIsReportedRunningWithItsInvokerAndLeftRunning() throws Exception {
    InvocationRequest req = request();
    await(activations.markQueued(req));
    await(activations.claim(req, "invoker-a", 10_000, true));
    var found = await(cancels.cancel(tenant, "default", req.activationId(),
        (t, ns, id) -> Future.succeededFuture(ActivationRecord.queued(req))));
    assertEquals("invoker-a", assertInstanceOf(QueuedCancels.Found.Running.class, found).record().attemptInvoker());
    assertEquals(ActivationStatus.RUNNING, await(activations.get(tenant, "default", req.activationId())).status());
  }

  @Test
  void anUnknownActivationIsMissingUnlessTheUnclaimedLookupKnowsIt() throws Exception {
    InvocationRequest req = request();
    assertInstanceOf(QueuedCancels.Found.Missing.class,
        await(cancels.cancel(tenant, "default", req.activationId(), QueuedCancels.Unclaimed.NONE)));
    assertInstanceOf(QueuedCancels.Found.Cancelled.class, await(cancels.cancel(tenant, "default",
        req.activationId(), (t, ns, id) -> Future.succeededFuture(ActivationRecord.queued(req)))));
  }

  @Test
  void cancelsRacingClaimsEndEachActivationEitherCancelledUnrunOrRunningNeverBoth() throws Exception {
    List<InvocationRequest> requests = new ArrayList<>();
    List<Future<QueuedCancels.Found>> found = new ArrayList<>();
    List<Future<ActivationStore.Claim>> claims = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      InvocationRequest req = request();
      requests.add(req);
      await(activations.markQueued(req));
    }
    for (InvocationRequest req : requests) {
      found.add(cancels.cancel(tenant, "default", req.activationId()));
      claims.add(activations.claim(req, "invoker-a", 10_000, true));
    }
    Future.join(new ArrayList<>(found)).await(20, TimeUnit.SECONDS);
    Future.join(new ArrayList<>(claims)).await(20, TimeUnit.SECONDS);
    for (int i = 0; i < requests.size(); i++) {
      ActivationStore.Claim claim = claims.get(i).result();
      QueuedCancels.Found cancel = found.get(i).result();
      if (cancel instanceof QueuedCancels.Found.Cancelled) {
        assertInstanceOf(ActivationStore.Claim.Done.class, claim, "a cancelled activation must not run");
      } else {
        assertInstanceOf(QueuedCancels.Found.Running.class, cancel);
        assertInstanceOf(ActivationStore.Claim.Owned.class, claim);
      }
      ActivationStatus stored = await(activations.get(tenant, "default", requests.get(i).activationId())).status();
      assertTrue(stored == ActivationStatus.CANCELLED || stored == ActivationStatus.RUNNING, stored.wire());
    }
  }
}
