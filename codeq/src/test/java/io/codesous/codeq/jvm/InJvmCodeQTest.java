package io.codesous.codeq.jvm;

import static io.codesous.codeq.Inbox.text;
import static io.codesous.codeq.Inbox.texts;
import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.codeq.CodeQ;
import io.codesous.codeq.CodeQContract;
import io.codesous.codeq.CodeQException;
import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.Inbox;
import io.codesous.codeq.TypedMessage;
import io.codesous.testsupport.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InJvmCodeQTest implements CodeQContract {

  private Vertx vertx;
  private InJvmCodeQ codeq;
  private final List<InJvmCodeQ> extraQueues = new ArrayList<>();

  @BeforeEach
  void startQueue() throws InterruptedException {
    vertx = Vertx.vertx();
    codeq = new InJvmCodeQ(vertx);
    await(codeq.start());
  }

  @AfterEach
  void stopQueue() throws InterruptedException {
    for (InJvmCodeQ extra : extraQueues) {
      extra.stop();
    }
    codeq.stop();
    await(vertx.close());
  }

  @Override
  public CodeQ codeq() {
    return codeq;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public CodeQ newCodeQ() {
    InJvmCodeQ queue = new InJvmCodeQ(vertx);
    extraQueues.add(queue);
    return queue;
  }

  private InJvmCodeQ startedQueue(InJvmCodeQOptions options) throws InterruptedException {
    InJvmCodeQ queue = new InJvmCodeQ(vertx, options);
    extraQueues.add(queue);
    await(queue.start());
    return queue;
  }

  /** An inbox that holds what it gets, subscribed to {@code topic} with one message in flight at a time. */
  private Inbox oneAtATime(InJvmCodeQ queue, String topic) throws InterruptedException {
    Inbox inbox = Inbox.holding();
    await(queue.subscribe(options(topic, unique("invokers"), 1), inbox));
    return inbox;
  }

  private static void assertFailsWithCodeQException(Future<?> future)
      throws InterruptedException {
    assertInstanceOf(CodeQException.class, awaitFailure(future));
  }

  @Test
  void publishFailsWhileTheTopicIsFullAndSucceedsOnceConsumed() throws Exception {
    InJvmCodeQ small = startedQueue(new InJvmCodeQOptions().setMaxRetainedPerTopic(3));
    String topic = unique("bounded");
    Inbox inbox = oneAtATime(small, topic);
    for (int i = 1; i <= 3; i++) {
      await(small.publish(topic, "k", Buffer.buffer("message-" + i)));
    }
    assertFailsWithCodeQException(small.publish(topic, "k", Buffer.buffer("overflow")));
    await(small.publish(unique("other-topic"), "k", Buffer.buffer("unaffected")));

    CodeQMessage first = inbox.next();
    assertEquals("message-1", text(first));
    // in flight is not yet consumed
    assertFailsWithCodeQException(small.publish(topic, "k", Buffer.buffer("overflow")));

    await(first.ack());
    await(small.publish(topic, "k", Buffer.buffer("fits-again")));

    List<String> rest = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CodeQMessage next = inbox.next();
      rest.add(text(next));
      await(next.ack());
    }
    assertEquals(List.of("message-2", "message-3", "fits-again"), rest, "no overflow queued");
  }

  @Test
  void aMessagePublishedAsAnObjectIsHandedOverAsThatObjectAndEncodedOnlyWhenAHandlerAsks() throws Exception {
    String topic = "typed-" + UUID.randomUUID();
    Inbox inbox = Inbox.holding();
    subscribe(topic, "group", 1, inbox);
    JsonObject value = new JsonObject().put("fn", "hello");
    AtomicInteger encodings = new AtomicInteger();

    await(codeq.publish(topic, null, TypedMessage.of(value, v -> {
      encodings.incrementAndGet();
      return v.toBuffer();
    }, 64)));

    CodeQMessage first = inbox.next();
    assertSame(value, first.typed());
    assertEquals(0, encodings.get());
    first.release();
    CodeQMessage again = inbox.next();
    assertSame(value, again.typed());
    assertEquals(2, again.deliveryAttempt());
    assertEquals("{\"fn\":\"hello\"}", text(again));
    assertEquals(1, encodings.get());
    await(again.ack());
    assertEquals(0L, await(codeq.lag(topic, "group")));
  }

  @Test
  void aTopicNobodyReadsKeepsOnlyItsNewestMessages() throws Exception {
    InJvmCodeQ small = startedQueue(new InJvmCodeQOptions().setMaxUnreadPerTopic(3));
    String topic = unique("unread");
    for (int i = 1; i <= 5; i++) {
      await(small.publish(topic, "k", Buffer.buffer("message-" + i)));
    }
    Inbox inbox = Inbox.acking();
    await(small.subscribe(options(topic, unique("late"), 10), inbox));
    assertEquals(List.of("message-3", "message-4", "message-5"), texts(inbox.next(3)));
  }

  @Test
  void aTopicKeepsFewerMessagesWhileNobodyReadsItThanOnceAGroupDoes() throws Exception {
    InJvmCodeQ small = startedQueue(new InJvmCodeQOptions().setMaxUnreadPerTopic(2).setMaxRetainedPerTopic(4));
    String topic = unique("read-later");
    for (int i = 1; i <= 3; i++) {
      await(small.publish(topic, "k", Buffer.buffer("unread-" + i)));
    }
    Inbox inbox = Inbox.holding();
    await(small.subscribe(options(topic, unique("late"), 10), inbox));
    await(small.publish(topic, "k", Buffer.buffer("read-1")));
    await(small.publish(topic, "k", Buffer.buffer("read-2")));
    assertFailsWithCodeQException(small.publish(topic, "k", Buffer.buffer("overflow")));
    assertEquals(List.of("unread-2", "unread-3", "read-1", "read-2"), texts(inbox.next(4)));
  }

  @Test
  void aMessageIsRetainedUntilEveryGroupAcknowledgedIt() throws Exception {
    InJvmCodeQ small = startedQueue(new InJvmCodeQOptions().setMaxRetainedPerTopic(2));
    String topic = unique("two-groups");
    Inbox fast = Inbox.acking();
    Inbox slow = Inbox.holding();
    await(small.subscribe(options(topic, unique("fast"), 2), fast));
    await(small.subscribe(options(topic, unique("slow"), 2), slow));
    await(small.publish(topic, "k", Buffer.buffer("a")));
    await(small.publish(topic, "k", Buffer.buffer("b")));
    assertEquals(List.of("a", "b"), texts(fast.next(2)));
    List<CodeQMessage> slowHeld = slow.next(2);

    assertFailsWithCodeQException(small.publish(topic, "k", Buffer.buffer("c")));

    await(slowHeld.get(0).ack());
    await(small.publish(topic, "k", Buffer.buffer("c")));
  }

  @Test
  void aLaterGroupStartsAtTheOldestRetainedMessage() throws Exception {
    String topic = unique("late-group");
    Inbox early = Inbox.holding();
    subscribe(topic, unique("early"), 5, early);
    publish(topic, "k", "acked-by-all");
    publish(topic, "k", "still-retained");
    await(early.next().ack());
    early.next();

    Inbox late = Inbox.acking();
    subscribe(topic, unique("late"), 5, late);
    publish(topic, "k", "published-later");

    assertEquals(List.of("still-retained", "published-later"), texts(late.next(2)));
    late.assertNothingMoreWithin(QUIET);
  }

  @Test
  void restartAfterStopRedeliversWhatWasInFlight() throws Exception {
    String topic = unique("restart");
    String group = unique("invokers");
    Inbox before = Inbox.holding();
    subscribe(topic, group, 1, before);
    publish(topic, "k", "survives-restart");
    before.next();
    await(codeq.stop());

    await(codeq.start());
    Inbox after = Inbox.acking();
    subscribe(topic, group, 1, after);

    CodeQMessage redelivered = after.next();
    assertEquals("survives-restart", text(redelivered));
    assertEquals(2, redelivered.deliveryAttempt());
    before.assertNothingMoreWithin(QUIET);
  }

  @Test
  void aClosingSubscriptionsMessagesReturnToTheFrontInPublishOrder() throws Exception {
    String topic = unique("front");
    String group = unique("invokers");
    Inbox leaving = Inbox.holding();
    CodeQSubscription subscription = subscribe(topic, group, 3, leaving);
    for (int i = 0; i < 5; i++) {
      publish(topic, "key-" + i, "message-" + i);
    }
    assertEquals(List.of("message-0", "message-1", "message-2"), texts(leaving.next(3)));
    await(subscription.close());

    Inbox staying = Inbox.acking();
    subscribe(topic, group, 10, staying);

    List<CodeQMessage> received = staying.next(5);
    assertEquals(List.of("message-0", "message-1", "message-2", "message-3", "message-4"),
        texts(received));
    List<Integer> attempts = new ArrayList<>();
    for (CodeQMessage message : received) {
      attempts.add(message.deliveryAttempt());
    }
    assertEquals(List.of(2, 2, 2, 1, 1), attempts);
  }

  @Test
  void messagesNotYetHandedToAClosedSubscriptionsHandlerAreNotCountedAsAttempts()
      throws Exception {
    String topic = unique("busy-handler");
    String group = unique("invokers");
    Context busy = newContext();
    Inbox leaving = Inbox.holding();
    CodeQSubscription subscription = subscribeOn(busy, options(topic, group, 4), leaving);
    CountDownLatch contextOccupied = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    busy.runOnContext(ignored -> {
      contextOccupied.countDown();
      try {
        letGo.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertTrue(contextOccupied.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    try {
      publish(topic, "k", "queued-for-busy-handler");
      await(subscription.close());
    } finally {
      letGo.countDown();
    }

    Inbox staying = Inbox.acking();
    subscribe(topic, group, 4, staying);
    CodeQMessage message = staying.next();
    assertEquals("queued-for-busy-handler", text(message));
    assertEquals(1, message.deliveryAttempt());
    leaving.assertNothingMoreWithin(QUIET);
  }

  @Test
  void concurrentPublishersAndConsumersLoseAndDuplicateNothing() throws Exception {
    String topic = unique("concurrent");
    String group = unique("invokers");
    Inbox shared = Inbox.acking();
    for (int member = 0; member < 3; member++) {
      subscribeOn(newContext(), options(topic, group, 4), shared);
    }

    List<CompletableFuture<Void>> publishers = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      int publisher = p;
      publishers.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 250; i++) {
          codeq.publish(topic, "publisher-" + publisher, Buffer.buffer(publisher + "-" + i));
        }
      }, runnable -> new Thread(runnable).start()));
    }
    for (CompletableFuture<Void> publisher : publishers) {
      publisher.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    Set<String> received = new HashSet<>(texts(shared.next(1000)));
    assertEquals(1000, received.size());
    shared.assertNothingMoreWithin(QUIET);
  }

  @Test
  void optionsSurviveAJsonRoundTrip() {
    InJvmCodeQOptions options = new InJvmCodeQOptions().setMaxRetainedPerTopic(42).setMaxUnreadPerTopic(7)
        .setMaxRetainedBytesPerTopic(1_000_000);

    JsonObject json = options.toJson();

    assertEquals(new JsonObject().put("maxRetainedPerTopic", 42).put("maxUnreadPerTopic", 7)
        .put("maxRetainedBytesPerTopic", 1_000_000L), json);
    assertEquals(42, new InJvmCodeQOptions(json).getMaxRetainedPerTopic());
    assertEquals(7, new InJvmCodeQOptions(json).getMaxUnreadPerTopic());
    assertEquals(1_000_000L, new InJvmCodeQOptions(json).getMaxRetainedBytesPerTopic());
  }

  @Test
  void aTopicsBoundInBytesIsAnEighthOfTheHeapUnlessSet() {
    assertEquals(Runtime.getRuntime().maxMemory() / 8, new InJvmCodeQOptions().getMaxRetainedBytesPerTopic());
    assertEquals(Runtime.getRuntime().maxMemory() / 8,
        new InJvmCodeQOptions(new JsonObject()).getMaxRetainedBytesPerTopic());
    assertEquals(4096, new InJvmCodeQOptions().setMaxRetainedBytesPerTopic(4096).getMaxRetainedBytesPerTopic());
    assertThrows(IllegalArgumentException.class, () -> new InJvmCodeQOptions().setMaxRetainedBytesPerTopic(-1));
  }

  @Test
  void publishFailsOnceATopicsMessagesWouldWeighMoreThanItsBoundAndSucceedsOnceOneIsConsumed() throws Exception {
    // each message weighs its bytes and the queue's own objects: three of 1,000 bytes fit in 4,000, a fourth does not
    InJvmCodeQ small = startedQueue(new InJvmCodeQOptions().setMaxRetainedBytesPerTopic(4_000));
    String topic = unique("heavy");
    Inbox inbox = oneAtATime(small, topic);
    for (int i = 1; i <= 3; i++) {
      await(small.publish(topic, "k", Buffer.buffer(bytes(1_000, i))));
    }
    CodeQException full = assertInstanceOf(CodeQException.class,
        awaitFailure(small.publish(topic, "k", Buffer.buffer(bytes(1_000, 4)))));
    assertTrue(full.getMessage().contains("bytes"), full::getMessage);
    // a light message still fits beside them
    await(small.publish(topic, "k", Buffer.buffer("light")));

    CodeQMessage first = inbox.next();
    await(first.ack());
    await(small.publish(topic, "k", Buffer.buffer(bytes(1_000, 5))));
    List<Integer> firstBytes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      CodeQMessage next = inbox.next();
      firstBytes.add((int) next.payload().getByte(0));
      await(next.ack());
    }
    assertEquals(List.of(2, 3, (int) 'l', 5), firstBytes, "the refused message was not queued");
  }

  @Test
  void anObjectCountsWhatItsPublisherEstimatedItWeighs() throws Exception {
    InJvmCodeQ small = startedQueue(new InJvmCodeQOptions().setMaxRetainedBytesPerTopic(10_000));
    String topic = unique("typed-heavy");
    Inbox inbox = oneAtATime(small, topic);
    JsonObject value = new JsonObject().put("fn", "hello");

    await(small.publish(topic, "k", TypedMessage.of(value, JsonObject::toBuffer, 6_000)));
    assertFailsWithCodeQException(small.publish(topic, "k", TypedMessage.of(value, JsonObject::toBuffer, 6_000)));
    await(small.publish(topic, "k", TypedMessage.of(value, JsonObject::toBuffer, 3_000)));
  }

  @Test
  void anEmptyTopicTakesAMessageLargerThanItsWholeBound() throws Exception {
    InJvmCodeQ small = startedQueue(new InJvmCodeQOptions().setMaxRetainedBytesPerTopic(1_000));
    String topic = unique("huge");
    Inbox inbox = oneAtATime(small, topic);

    await(small.publish(topic, "k", Buffer.buffer(bytes(5_000, 1))));
    assertFailsWithCodeQException(small.publish(topic, "k", Buffer.buffer("next")));
    CodeQMessage huge = inbox.next();
    assertEquals(5_000, huge.payload().length());
    await(huge.ack());
    await(small.publish(topic, "k", Buffer.buffer("next")));
  }

  @Test
  void aTopicNobodyReadsDropsItsOldestMessagesPastItsBoundInBytes() throws Exception {
    InJvmCodeQ small = startedQueue(new InJvmCodeQOptions().setMaxRetainedBytesPerTopic(4_000));
    String topic = unique("heavy-unread");
    for (int i = 1; i <= 5; i++) {
      await(small.publish(topic, "k", Buffer.buffer(bytes(1_000, i))));
    }
    Inbox inbox = Inbox.acking();
    await(small.subscribe(options(topic, unique("late"), 10), inbox));
    List<Integer> kept = new ArrayList<>();
    for (CodeQMessage message : inbox.next(3)) {
      kept.add((int) message.payload().getByte(0));
    }
    assertEquals(List.of(3, 4, 5), kept);
  }

  /** {@code length} bytes, the first of them {@code first}. */
  private static byte[] bytes(int length, int first) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) 'x');
    bytes[0] = (byte) first;
    return bytes;
  }

  @Test
  void optionsHaveDefaultsAndRejectNonsense() {
    InJvmCodeQOptions options = new InJvmCodeQOptions();
    assertEquals(InJvmCodeQOptions.DEFAULT_MAX_RETAINED_PER_TOPIC,
        options.getMaxRetainedPerTopic());
    assertEquals(InJvmCodeQOptions.DEFAULT_MAX_RETAINED_PER_TOPIC,
        new InJvmCodeQOptions(new JsonObject()).getMaxRetainedPerTopic());
    assertSame(options, options.setMaxRetainedPerTopic(7));
    assertThrows(IllegalArgumentException.class, () -> options.setMaxRetainedPerTopic(0));
    assertThrows(IllegalArgumentException.class,
        () -> new InJvmCodeQOptions(new JsonObject().put("maxRetainedPerTopic", -1)));
  }
}
