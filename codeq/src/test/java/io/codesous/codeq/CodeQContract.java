package io.codesous.codeq;

import static io.codesous.codeq.Inbox.text;
import static io.codesous.codeq.Inbox.texts;
import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static io.codesous.testsupport.CallerContexts.callFrom;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.testsupport.Await;
import io.codesous.testsupport.CallerContexts.Completion;
import io.codesous.testsupport.CallerContexts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * What every {@link CodeQ} backend must do. A backend's test implements this interface and
 * supplies a started queue per test; names are unique per test so that a shared broker can run
 * the suite.
 *
 * <p>Waits are bounded and no assertion depends on how fast anything happens: checks that nothing
 * more arrives wait a {@link #QUIET} period, which a slow machine can only make miss a fault.
 */
public interface CodeQContract {

  Duration QUIET = Duration.ofMillis(300);

  /** A started queue, stopped by the implementing test after each test. */
  CodeQ codeq();

  /**
   * A new, unstarted queue of the same backend, on the same broker if it has one; the test that
   * asks for it starts it, and the implementing test stops it after the test.
   */
  CodeQ newCodeQ();

  Vertx vertx();

  default String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  default SubscribeOptions options(String topic, String group, int maxInFlight) {
    return new SubscribeOptions().setTopic(topic).setGroup(group).setMaxInFlight(maxInFlight);
  }

  default CodeQSubscription subscribe(String topic, String group, int maxInFlight,
      Handler<CodeQMessage> handler) throws InterruptedException {
    return await(codeq().subscribe(options(topic, group, maxInFlight), handler));
  }

  /** Subscribes from inside {@code context}, so the handler belongs to it. */
  default CodeQSubscription subscribeOn(Context context, SubscribeOptions options,
      Handler<CodeQMessage> handler) throws InterruptedException {
    Promise<CodeQSubscription> subscribed = Promise.promise();
    context.runOnContext(ignored -> codeq().subscribe(options, handler).onComplete(subscribed));
    return await(subscribed.future());
  }

  /**
   * A context of its own: each plain thread gets a new one, whereas repeated calls on one thread
   * may return the same.
   */
  default Context newContext() throws Exception {
    CompletableFuture<Context> created = new CompletableFuture<>();
    Thread creator = new Thread(() -> created.complete(vertx().getOrCreateContext()));
    creator.start();
    return created.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  default void publish(String topic, String key, String text) throws InterruptedException {
    await(codeq().publish(topic, key, Buffer.buffer(text)));
  }

  @Test
  default void publishedMessageArrivesWithKeyAndPayloadIntact() throws Exception {
    String topic = unique("round-trip");
    Inbox inbox = Inbox.acking();
    subscribe(topic, unique("group"), 4, inbox);
    byte[] binary = {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xff};

    await(codeq().publish(topic, "key-1", Buffer.buffer("{\"fn\":\"hello\"}")));
    await(codeq().publish(topic, null, Buffer.buffer(binary)));

    Map<String, CodeQMessage> byKey = new HashMap<>();
    for (CodeQMessage message : inbox.next(2)) {
      byKey.put(message.key(), message);
    }
    CodeQMessage keyed = byKey.get("key-1");
    assertEquals(topic, keyed.topic());
    assertEquals("{\"fn\":\"hello\"}", text(keyed));
    assertEquals(1, keyed.deliveryAttempt());
    CodeQMessage unkeyed = byKey.get(null);
    assertNull(unkeyed.key());
    assertArrayEquals(binary, unkeyed.payload().getBytes());
    assertEquals(1, unkeyed.deliveryAttempt());
  }

  @Test
  default void aMessagePublishedAsAnObjectArrivesAsItsEncodingAndAtMostAsThatObject() throws Exception {
    String topic = unique("typed");
    Inbox inbox = Inbox.acking();
    subscribe(topic, unique("group"), 4, inbox);
    List<String> value = List.of("hello");

    await(codeq().publish(topic, "key-1",
        TypedMessage.of(value, v -> Buffer.buffer("{\"fn\":\"" + v.get(0) + "\"}"), 64)));

    CodeQMessage message = inbox.next();
    assertEquals("key-1", message.key());
    assertEquals("{\"fn\":\"hello\"}", text(message));
    // a queue whose messages leave the process hands over bytes only; one that keeps them hands the object itself
    assertTrue(message.typed() == null || message.typed() == value, () -> "typed() is " + message.typed());
  }

  @Test
  default void messagesPublishedBeforeSubscribeAreDelivered() throws Exception {
    String topic = unique("early");
    publish(topic, "k", "before-1");
    publish(topic, "k", "before-2");
    publish(topic, "k", "before-3");

    Inbox inbox = Inbox.acking();
    subscribe(topic, unique("invokers"), 8, inbox);

    assertEquals(List.of("before-1", "before-2", "before-3"), texts(inbox.next(3)));
  }

  @Test
  default void everyGroupReceivesEveryMessage() throws Exception {
    String topic = unique("fan-out");
    Inbox first = Inbox.acking();
    Inbox second = Inbox.acking();
    subscribe(topic, unique("group-a"), 8, first);
    subscribe(topic, unique("group-b"), 8, second);

    Set<String> published = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      publish(topic, "key-" + i, "message-" + i);
      published.add("message-" + i);
    }

    assertEquals(published, new HashSet<>(texts(first.next(5))));
    assertEquals(published, new HashSet<>(texts(second.next(5))));
    first.assertNothingMoreWithin(QUIET);
    second.assertNothingMoreWithin(Duration.ZERO);
  }

  @Test
  default void membersOfOneGroupReceiveEachMessageExactlyOnceInTotal() throws Exception {
    String topic = unique("shared");
    String group = unique("invokers");
    Inbox shared = Inbox.acking();
    subscribe(topic, group, 4, shared);
    subscribe(topic, group, 4, shared);

    Set<String> published = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      publish(topic, "key-" + i, "message-" + i);
      published.add("message-" + i);
    }

    List<String> received = texts(shared.next(20));
    assertEquals(published, new HashSet<>(received), "every message, none twice");
    shared.assertNothingMoreWithin(QUIET);
  }

  @Test
  default void lagCountsWhatTheGroupHasNotAcknowledgedDeliveredOrNot() throws Exception {
    String topic = unique("lag");
    String group = unique("invokers");
    Inbox inbox = Inbox.holding();
    subscribe(topic, group, 2, inbox);
    for (int i = 0; i < 5; i++) {
      publish(topic, "key-" + i, "message-" + i);
    }
    List<CodeQMessage> inFlight = new ArrayList<>(inbox.next(2));
    assertEquals(5L, lagBecomes(topic, group, 5), "two in flight and three waiting");
    assertEquals(0L, await(codeq().lag(topic, unique("nobody"))), "a group that never subscribed");
    assertEquals(0L, await(codeq().lag(unique("no-such-topic"), group)), "a topic nothing was published to");

    for (int acked = 0; acked < 5; acked++) {
      CodeQMessage message = inFlight.isEmpty() ? inbox.next() : inFlight.remove(0);
      await(message.ack());
    }
    assertEquals(0L, lagBecomes(topic, group, 0), "every message acknowledged");
  }

  /**
   * The lag once it reads {@code expected}, or the last reading when the wait runs out: a backend may report an
   * acknowledgement a moment after it completed (Kafka commits offsets in batches).
   */
  private long lagBecomes(String topic, String group, long expected) throws Exception {
    long deadline = System.nanoTime() + Await.TIMEOUT.toNanos();
    long lag = await(codeq().lag(topic, group));
    while (lag != expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
      lag = await(codeq().lag(topic, group));
    }
    return lag;
  }

  @Test
  default void creditsBoundTheMessagesInFlight() throws Exception {
    String topic = unique("credits");
    Inbox inbox = Inbox.holding();
    subscribe(topic, unique("invokers"), 2, inbox);
    for (int i = 0; i < 10; i++) {
      publish(topic, "key-" + i, "message-" + i);
    }

    List<CodeQMessage> inFlight = new ArrayList<>(inbox.next(2));
    inbox.assertNothingMoreWithin(QUIET);
    Set<String> received = new HashSet<>(texts(inFlight));

    await(inFlight.remove(0).ack());
    CodeQMessage third = inbox.next();
    inFlight.add(third);
    assertTrue(received.add(text(third)), () -> "delivered twice: " + text(third));
    inbox.assertNothingMoreWithin(QUIET);

    // draining the rest one credit at a time: nothing was parked behind the held messages
    while (received.size() < 10) {
      await(inFlight.remove(0).ack());
      CodeQMessage next = inbox.next();
      inFlight.add(next);
      assertTrue(received.add(text(next)), () -> "delivered twice: " + text(next));
    }
    assertEquals(2, inFlight.size());
  }

  @Test
  default void releasedMessageIsRedeliveredWithTheNextAttempt() throws Exception {
    String topic = unique("release");
    Inbox inbox = Inbox.holding();
    subscribe(topic, unique("invokers"), 1, inbox);
    publish(topic, "key-r", "retry-me");

    CodeQMessage first = inbox.next();
    assertEquals(1, first.deliveryAttempt());
    first.release();

    CodeQMessage second = inbox.next();
    assertEquals(2, second.deliveryAttempt());
    assertEquals("key-r", second.key());
    assertEquals("retry-me", text(second));
    await(second.ack());
    inbox.assertNothingMoreWithin(QUIET);
  }

  @Test
  default void closingASubscriptionHandsItsUnackedMessagesToAnotherMember() throws Exception {
    String topic = unique("handover");
    String group = unique("invokers");
    Inbox leaving = Inbox.holding();
    CodeQSubscription leavingSubscription = subscribe(topic, group, 5, leaving);
    publish(topic, "k", "held-1");
    publish(topic, "k", "held-2");
    publish(topic, "k", "held-3");
    assertEquals(List.of("held-1", "held-2", "held-3"), texts(leaving.next(3)));

    Inbox staying = Inbox.acking();
    subscribe(topic, group, 5, staying);
    await(leavingSubscription.close());

    List<CodeQMessage> redelivered = staying.next(3);
    assertEquals(List.of("held-1", "held-2", "held-3"), texts(redelivered));
    for (CodeQMessage message : redelivered) {
      assertEquals(2, message.deliveryAttempt(), () -> text(message));
    }
    leaving.assertNothingMoreWithin(Duration.ZERO);
  }

  @Test
  default void acknowledgedMessagesAreNeverRedelivered() throws Exception {
    String topic = unique("acked");
    String group = unique("invokers");
    Inbox leaving = Inbox.holding();
    CodeQSubscription leavingSubscription = subscribe(topic, group, 5, leaving);
    publish(topic, "k", "acked");
    publish(topic, "k", "unacked");
    CodeQMessage acked = leaving.next();
    assertEquals("acked", text(acked));
    assertEquals("unacked", text(leaving.next()));
    await(acked.ack());
    await(leavingSubscription.close());

    Inbox staying = Inbox.acking();
    subscribe(topic, group, 5, staying);
    publish(topic, "k", "marker");

    CodeQMessage redelivered = staying.next();
    assertEquals("unacked", text(redelivered));
    assertEquals(2, redelivered.deliveryAttempt());
    CodeQMessage marker = staying.next();
    assertEquals("marker", text(marker));
    assertEquals(1, marker.deliveryAttempt());
    staying.assertNothingMoreWithin(QUIET);
  }

  @Test
  default void ackAndReleaseAreIdempotent() throws Exception {
    String topic = unique("idempotent");
    Inbox inbox = Inbox.holding();
    subscribe(topic, unique("invokers"), 1, inbox);
    publish(topic, "k", "acked-twice");
    publish(topic, "k", "released-twice");

    CodeQMessage ackedTwice = inbox.next();
    assertEquals("acked-twice", text(ackedTwice));
    await(ackedTwice.ack());
    await(ackedTwice.ack());

    CodeQMessage releasedTwice = inbox.next();
    assertEquals("released-twice", text(releasedTwice));
    releasedTwice.release();
    releasedTwice.release();
    CodeQMessage redelivered = inbox.next();
    assertEquals("released-twice", text(redelivered));
    assertEquals(2, redelivered.deliveryAttempt());
    await(redelivered.ack());

    // same key, so a second copy of either would have to come before the marker
    publish(topic, "k", "marker");
    assertEquals("marker", text(inbox.next()));
    inbox.assertNothingMoreWithin(QUIET);
  }

  @Test
  default void messagesWithOneKeyArriveInPublishOrder() throws Exception {
    String topic = unique("ordered");
    Inbox inbox = Inbox.acking();
    subscribe(topic, unique("invokers"), 16, inbox);
    for (int i = 0; i < 100; i++) {
      String key = i % 2 == 0 ? "even" : "odd";
      publish(topic, key, key + "-" + i);
    }

    Map<String, Integer> lastIndexByKey = new HashMap<>();
    for (CodeQMessage message : inbox.next(100)) {
      int index = Integer.parseInt(text(message).substring(message.key().length() + 1));
      Integer previous = lastIndexByKey.put(message.key(), index);
      assertTrue(previous == null || previous < index,
          () -> "key " + message.key() + ": " + index + " arrived after " + previous);
    }
    assertEquals(Set.of("even", "odd"), lastIndexByKey.keySet());
  }

  @Test
  default void handlerRunsOnTheContextThatSubscribed() throws Exception {
    String topic = unique("context");
    Context first = newContext();
    Context second = newContext();
    assertNotSame(first, second, "precondition: two distinct contexts");
    ConcurrentLinkedQueue<String> misplaced = new ConcurrentLinkedQueue<>();
    Inbox firstInbox = Inbox.acking();
    Inbox secondInbox = Inbox.acking();
    subscribeOn(first, options(topic, unique("group-a"), 4), message -> {
      if (Vertx.currentContext() != first) {
        misplaced.add("group-a got " + text(message) + " on " + Vertx.currentContext());
      }
      firstInbox.handle(message);
    });
    subscribeOn(second, options(topic, unique("group-b"), 4), message -> {
      if (Vertx.currentContext() != second) {
        misplaced.add("group-b got " + text(message) + " on " + Vertx.currentContext());
      }
      secondInbox.handle(message);
    });

    // publish from a third context and from this plain thread
    Context publisher = newContext();
    Promise<Void> publishedFromContext = Promise.promise();
    publisher.runOnContext(ignored -> Future.all(
            codeq().publish(topic, "k1", Buffer.buffer("from-context-1")),
            codeq().publish(topic, "k2", Buffer.buffer("from-context-2")))
        .<Void>mapEmpty()
        .onComplete(publishedFromContext));
    await(publishedFromContext.future());
    publish(topic, "k3", "from-thread");

    assertEquals(3, firstInbox.next(3).size());
    assertEquals(3, secondInbox.next(3).size());
    assertTrue(misplaced.isEmpty(), () -> String.join("; ", misplaced));
  }

  @Test
  default void publisherChangingItsBufferLaterDoesNotChangeTheMessage() throws Exception {
    String topic = unique("copy");
    Buffer payload = Buffer.buffer("original");
    await(codeq().publish(topic, "k", payload));
    payload.setString(0, "MUTATED!");
    payload.appendString("-and-longer");

    Inbox inbox = Inbox.acking();
    subscribe(topic, unique("invokers"), 1, inbox);
    assertEquals("original", text(inbox.next()));
  }

  @Test
  default void thousandMessagesThroughFourMembersArriveExactlyOnce() throws Exception {
    String topic = unique("load");
    String group = unique("invokers");
    Inbox shared = Inbox.acking();
    for (int member = 0; member < 4; member++) {
      subscribeOn(newContext(), options(topic, group, 8), shared);
    }

    List<Future<?>> publishes = new ArrayList<>();
    Set<String> published = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      publishes.add(codeq().publish(topic, "key-" + (i % 37), Buffer.buffer("message-" + i)));
      published.add("message-" + i);
    }
    await(Future.all(publishes));

    List<String> received = texts(shared.next(1000));
    assertEquals(published, new HashSet<>(received), "every message, none twice");
    shared.assertNothingMoreWithin(QUIET);
  }

  // --- what every backend does alike: lifecycle, stale acknowledgements, failing handlers,
  // --- the caller's context

  @Test
  default void operationsBeforeStartFail() throws Exception {
    CodeQ unstarted = newCodeQ();
    awaitFailure(unstarted.ping(), CodeQException.class);
    awaitFailure(unstarted.publish(unique("t"), "k", Buffer.buffer("x")), CodeQException.class);
    awaitFailure(unstarted.subscribe(options(unique("t"), unique("g"), 1), Inbox.acking()),
        CodeQException.class);
  }

  @Test
  default void operationsAfterStopFailAndSoDoesAckingWhatWasInFlight() throws Exception {
    String topic = unique("stopping");
    Inbox inbox = Inbox.holding();
    subscribe(topic, unique("invokers"), 1, inbox);
    publish(topic, "k", "in-flight-at-stop");
    CodeQMessage inFlight = inbox.next();
    await(codeq().ping());

    await(codeq().stop());

    awaitFailure(codeq().ping(), CodeQException.class);
    awaitFailure(codeq().publish(topic, "k", Buffer.buffer("too late")), CodeQException.class);
    awaitFailure(codeq().subscribe(options(topic, unique("g"), 1), Inbox.acking()),
        CodeQException.class);
    awaitFailure(inFlight.ack(), CodeQException.class);
  }

  @Test
  default void ackAfterCloseFailsAndTheMessageIsRedelivered() throws Exception {
    String topic = unique("ack-after-close");
    String group = unique("invokers");
    Inbox leaving = Inbox.holding();
    CodeQSubscription subscription = subscribe(topic, group, 1, leaving);
    publish(topic, "k", "late-ack");
    CodeQMessage stale = leaving.next();
    await(subscription.close());

    awaitFailure(stale.ack(), CodeQException.class);

    Inbox staying = Inbox.acking();
    subscribe(topic, group, 1, staying);
    CodeQMessage redelivered = staying.next();
    assertEquals("late-ack", text(redelivered));
    assertEquals(2, redelivered.deliveryAttempt());
  }

  @Test
  default void ackAfterReleaseFailsAndTheMessageIsRedelivered() throws Exception {
    String topic = unique("ack-after-release");
    Inbox inbox = Inbox.holding();
    subscribe(topic, unique("invokers"), 1, inbox);
    publish(topic, "k", "released");
    CodeQMessage stale = inbox.next();
    stale.release();

    awaitFailure(stale.ack(), CodeQException.class);

    CodeQMessage redelivered = inbox.next();
    assertEquals("released", text(redelivered));
    assertEquals(2, redelivered.deliveryAttempt());
    await(redelivered.ack());
  }

  @Test
  default void aThrowingHandlerKeepsItsMessageAndTheFailureIsReported() throws Exception {
    String topic = unique("poison");
    Context context = newContext();
    CompletableFuture<Throwable> reported = new CompletableFuture<>();
    context.exceptionHandler(reported::complete);
    Inbox inbox = Inbox.holding();
    CodeQSubscription subscription =
        subscribeOn(context, options(topic, unique("invokers"), 2), message -> {
          if (text(message).equals("poison")) {
            throw new IllegalStateException("handler choked on poison");
          }
          inbox.handle(message);
        });

    publish(topic, "k", "poison");
    publish(topic, "k", "fine");

    CodeQMessage fine = inbox.next();
    assertEquals("fine", text(fine));
    Throwable failure = reported.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals("handler choked on poison", failure.getMessage());
    // the poison message still holds its credit: with one of two credits left nothing comes again
    await(fine.ack());
    inbox.assertNothingMoreWithin(QUIET);
    await(subscription.close());
  }

  @Test
  default void futuresCompleteOnTheCallingEventLoopContext() throws Exception {
    assertFuturesCompleteOn(CallerContexts.eventLoop(vertx()));
  }

  @Test
  default void futuresCompleteOnTheCallingWorkerContext() throws Exception {
    assertFuturesCompleteOn(CallerContexts.worker(vertx()));
  }

  /**
   * Calls every operation from {@code caller}, successes and failures alike, and notes where each
   * completion ran. The subscription's handler belongs to {@code caller} too; another context
   * starts the queue at the same moment and holds a subscription of its own until the stop, so
   * work the backend shares between callers must still come back to each one's context.
   */
  private void assertFuturesCompleteOn(Context caller) throws Exception {
    CodeQ queue = newCodeQ();
    String topic = unique("caller-context");
    Context other = newContext();
    List<String> misplaced = new ArrayList<>();
    other.runOnContext(ignored -> queue.start());
    expect(true, "start", callFrom(caller, queue::start), misplaced);
    Completion<CodeQSubscription> otherSubscribed = callFrom(other,
        () -> queue.subscribe(options(unique("other-topic"), unique("other"), 1), Inbox.acking()));
    assertTrue(otherSubscribed.outcome().succeeded(), () -> "another subscriber " + otherSubscribed);
    expect(true, "ping", callFrom(caller, queue::ping), misplaced);
    expect(true, "publish",
        callFrom(caller, () -> queue.publish(topic, "k", Buffer.buffer("first"))), misplaced);
    Inbox inbox = Inbox.holding();
    Completion<CodeQSubscription> subscribed =
        callFrom(caller, () -> queue.subscribe(options(topic, unique("group"), 2), inbox));
    expect(true, "subscribe", subscribed, misplaced);
    CodeQMessage first = inbox.next();
    expect(true, "ack", callFrom(caller, first::ack), misplaced);
    expect(true, "ack again", callFrom(caller, first::ack), misplaced);
    await(queue.publish(topic, "k", Buffer.buffer("second")));
    CodeQMessage second = inbox.next();
    expect(true, "close", callFrom(caller, subscribed.outcome().result()::close), misplaced);
    expect(false, "ack after close", callFrom(caller, second::ack), misplaced);
    expect(true, "stop", callFrom(caller, queue::stop), misplaced);
    expect(false, "ping after stop", callFrom(caller, queue::ping), misplaced);
    expect(false, "publish after stop",
        callFrom(caller, () -> queue.publish(topic, "k", Buffer.buffer("late"))), misplaced);
    expect(false, "subscribe after stop",
        callFrom(caller, () -> queue.subscribe(options(topic, unique("g"), 1), Inbox.acking())),
        misplaced);
    assertTrue(misplaced.isEmpty(), () -> String.join("\n", misplaced));
  }

  private static void expect(boolean success, String operation, Completion<?> completion,
      List<String> misplaced) {
    assertEquals(success, completion.outcome().succeeded(), () -> operation + " " + completion);
    if (!completion.onCallersContext()) {
      misplaced.add(operation + " " + completion);
    }
  }
}
