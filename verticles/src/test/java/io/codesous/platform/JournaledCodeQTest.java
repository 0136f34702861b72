package io.codesous.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static io.codesous.testsupport.Await.await;

import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.codeq.TypedMessage;
import io.codesous.codeq.jvm.InJvmCodeQ;
import io.codesous.codeq.jvm.InJvmCodeQOptions;
import io.codesous.kv.KvStore;
import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.codesous.spec.message.Trigger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The journal of the in-JVM queue, with the KV kept and the queue replaced, as a crash of the embedded server
 * leaves them: the KV on disk outlives the process, the in-JVM queue does not.
 */
class JournaledCodeQTest {

  private Vertx vertx;
  private KvStore kv;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    kv = new InMemoryKvStore(vertx);
    await(kv.start());
  }

  @AfterEach
  void stop() throws Exception {
    await(kv.stop());
    await(vertx.close());
  }

  @Test
  void aRequestNoInvokerAcknowledgedIsQueuedAgainUnderItsActivationIdAndOnlyOnce() throws Exception {
    JournaledCodeQ before = journaled();
    await(before.publish(Topics.INVOKE, "act-finished", MessageCodec.encode(request("act-finished"))));
    await(before.publish(Topics.INVOKE, "act-accepted", MessageCodec.encode(request("act-accepted"))));
    BlockingQueue<CodeQMessage> first = subscribe(before);
    CodeQMessage finished = first.poll(10, TimeUnit.SECONDS);
    assertEquals("act-finished", finished.key());
    await(finished.ack());
    await(before.stop()); // the queue dies with "act-accepted" delivered at most, never acknowledged

    JournaledCodeQ after = journaled();
    assertEquals(1, await(after.republishAccepted()));
    CodeQMessage again = subscribe(after).poll(10, TimeUnit.SECONDS);
    assertEquals(request("act-accepted"), MessageCodec.decodeRequest(again.payload()));
    await(again.ack());
    await(after.stop());

    JournaledCodeQ restartedAgain = journaled();
    assertEquals(0, await(restartedAgain.republishAccepted()));
    await(restartedAgain.stop());
    assertEquals(List.of(), journal());
  }

  @Test
  void aRequestPublishedAsAnObjectIsJournaledAsItsEnvelopeDeliveredAsThatObjectAndForgottenOnAck() throws Exception {
    JournaledCodeQ queue = journaled();
    InvocationRequest request = request("act-typed");
    await(queue.publish(Topics.INVOKE, "act-typed",
        TypedMessage.of(request, MessageCodec::encode, request.heapBytes())));
    assertEquals(List.of(entry(request)), journal());
    assertEquals(request, MessageCodec.decodeRequest(Buffer.buffer(await(kv.get(entry(request))))));

    CodeQMessage delivered = subscribe(queue).poll(10, TimeUnit.SECONDS);
    assertSame(request, delivered.typed());
    await(delivered.ack());
    await(queue.stop());
    assertEquals(List.of(), journal());
  }

  @Test
  void moreAcceptedRequestsThanTheQueueTakesAtOnceDoNotFailTheStartAndFollowAsItDrains() throws Exception {
    JournaledCodeQ before = journaled();
    for (int i = 1; i <= 3; i++) {
      await(before.publish(Topics.INVOKE, "act-accepted-" + i, MessageCodec.encode(request("act-accepted-" + i))));
    }
    await(before.stop()); // dies with three accepted, none acknowledged

    JournaledCodeQ after = journaled(new InJvmCodeQOptions().setMaxRetainedPerTopic(2));
    BlockingQueue<CodeQMessage> received = subscribe(after); // as the platform does: the invoker first
    assertEquals(2, await(after.republishAccepted()));
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CodeQMessage message = received.poll(10, TimeUnit.SECONDS);
      assertNotNull(message, () -> "only " + keys + " arrived");
      keys.add(message.key());
      await(message.ack());
    }
    assertEquals(Set.of("act-accepted-1", "act-accepted-2", "act-accepted-3"), Set.copyOf(keys));
    await(after.stop());
    assertEquals(List.of(), journal());
  }

  @Test
  void aRequestThatCannotBeReadIsDroppedAtStart() throws Exception {
    await(kv.put(KvKeys.acceptedRequest("acme", "default", 5, "act-unreadable"), "{\"schema\":\"cs.invoke.v0\"}"));

    JournaledCodeQ restarted = journaled();
    assertEquals(0, await(restarted.republishAccepted()));
    await(restarted.stop());
    assertEquals(List.of(), journal());
  }

  @Test
  void requestsAreQueuedAgainOldestFirst() throws Exception {
    JournaledCodeQ before = journaled();
    for (long publishedAt : new long[] {30_000, 2_000, 100_000_000}) {
      InvocationRequest request = request("act-" + publishedAt, publishedAt);
      await(before.publish(Topics.INVOKE, request.activationId(), MessageCodec.encode(request)));
    }
    await(before.stop());

    JournaledCodeQ after = journaled();
    BlockingQueue<CodeQMessage> received = subscribe(after);
    assertEquals(3, await(after.republishAccepted()));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CodeQMessage message = received.poll(10, TimeUnit.SECONDS);
      order.add(message.key());
      await(message.ack());
    }
    await(after.stop());
    assertEquals(List.of("act-2000", "act-30000", "act-100000000"), order);
    assertEquals(List.of(), journal());
  }

  @Test
  void requestsJournaledInTheEarlierLayoutAreMovedAndQueuedAgainAndMembersWithoutARequestAreDropped()
      throws Exception {
    InvocationRequest left = request("act-legacy");
    await(kv.indexAdd(KvKeys.legacyAcceptedRegistry(), "acme:default:act-legacy", left.publishedAtMs()));
    await(kv.put(KvKeys.legacyAcceptedRequest("acme", "default", "act-legacy"),
        MessageCodec.encode(left).toString()));
    await(kv.indexAdd(KvKeys.legacyAcceptedRegistry(), "acme:default:act-never-written", 2));
    await(kv.indexAdd(KvKeys.legacyAcceptedRegistry(), "acme:default:act-unreadable", 3));
    await(kv.put(KvKeys.legacyAcceptedRequest("acme", "default", "act-unreadable"), "{\"schema\":\"cs.invoke.v0\"}"));

    JournaledCodeQ restarted = journaled();
    BlockingQueue<CodeQMessage> received = subscribe(restarted);
    assertEquals(1, await(restarted.republishAccepted()));
    assertEquals(List.of(), await(kv.indexRange(KvKeys.legacyAcceptedRegistry(), 10, false)));
    assertNull(await(kv.get(KvKeys.legacyAcceptedRequest("acme", "default", "act-legacy"))));
    assertNull(await(kv.get(KvKeys.legacyAcceptedRequest("acme", "default", "act-unreadable"))));
    assertEquals(List.of(entry(left)), journal());

    CodeQMessage again = received.poll(10, TimeUnit.SECONDS);
    assertEquals(left, MessageCodec.decodeRequest(again.payload()));
    await(again.ack());
    await(restarted.stop());
    assertEquals(List.of(), journal());
  }

  /** The journal's entries, in the order a start reads them. */
  private List<String> journal() {
    return await(kv.keysWithPrefix(KvKeys.acceptedRequestPrefix(), 100));
  }

  private static String entry(InvocationRequest request) {
    return KvKeys.acceptedRequest(request.tenant(), request.namespace(), request.publishedAtMs(),
        request.activationId());
  }

  private JournaledCodeQ journaled() throws Exception {
    return journaled(new InJvmCodeQOptions());
  }

  private JournaledCodeQ journaled(InJvmCodeQOptions options) throws Exception {
    JournaledCodeQ queue = new JournaledCodeQ(vertx, new InJvmCodeQ(vertx, options), kv);
    await(queue.start());
    return queue;
  }

  private static BlockingQueue<CodeQMessage> subscribe(JournaledCodeQ queue) throws Exception {
    BlockingQueue<CodeQMessage> received = new LinkedBlockingQueue<>();
    await(queue.subscribe(new SubscribeOptions().setTopic(Topics.INVOKE).setGroup("invokers"), received::add));
    return received;
  }

  private static InvocationRequest request(String activationId) {
    return request(activationId, 1_000);
  }

  private static InvocationRequest request(String activationId, long publishedAtMs) {
    return new InvocationRequest(activationId, "req-" + activationId, "acme", "default", "fn", "1", 1,
        new Trigger("http", null), null, new JsonObject(), 4_000_000_000_000L, 5_000, "test-route", null, null,
        publishedAtMs, 1);
  }
}
