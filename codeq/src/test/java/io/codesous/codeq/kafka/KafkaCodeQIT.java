package io.codesous.codeq.kafka;

import static io.codesous.codeq.Inbox.text;
import static io.codesous.codeq.Inbox.texts;
import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.codeq.CodeQ;
import io.codesous.codeq.CodeQContract;
import io.codesous.codeq.CodeQException;
import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.Inbox;
import io.codesous.testsupport.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The codeQ contract and the Kafka adapter's own promises, against a broker in this JVM. */
class KafkaCodeQIT implements CodeQContract {

  private static final KafkaTestBroker BROKER = KafkaTestBroker.shared();

  private Vertx vertx;
  private KafkaCodeQ codeq;
  private final List<KafkaCodeQ> extraQueues = new ArrayList<>();

  @BeforeEach
  void startQueue() throws InterruptedException {
    vertx = Vertx.vertx();
    codeq = new KafkaCodeQ(vertx, BROKER.options());
    await(codeq.start());
  }

  @AfterEach
  void stopQueue() throws InterruptedException {
    for (KafkaCodeQ extra : extraQueues) {
      await(extra.stop());
    }
    await(codeq.stop());
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
    KafkaCodeQ queue = new KafkaCodeQ(vertx, BROKER.options());
    extraQueues.add(queue);
    return queue;
  }

  private KafkaCodeQ startedQueue(KafkaCodeQOptions options) throws InterruptedException {
    KafkaCodeQ queue = new KafkaCodeQ(vertx, options);
    extraQueues.add(queue);
    await(queue.start());
    return queue;
  }

  private static void assertFailsWithCodeQException(Future<?> future)
      throws InterruptedException {
    assertInstanceOf(CodeQException.class, awaitFailure(future));
  }

  /** A key the default partitioner puts on {@code partition} of a topic with {@code count}. */
  private static String keyFor(int partition, int count) {
    for (int i = 0; ; i++) {
      String key = "key-" + i;
      if (BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), count)
          == partition) {
        return key;
      }
    }
  }

  @Test
  void onlyTheContiguousCompletedOffsetsAreCommitted() throws Exception {
    String topic = unique("contiguous");
    String group = unique("invokers");
    Inbox first = Inbox.holding();
    CodeQSubscription firstSubscription = subscribe(topic, group, 3, first);
    publish(topic, "k", "offset-0");
    publish(topic, "k", "offset-1");
    publish(topic, "k", "offset-2");
    List<CodeQMessage> held = first.next(3);
    assertEquals(List.of("offset-0", "offset-1", "offset-2"), texts(held));

    await(held.get(0).ack());
    await(held.get(2).ack());
    await(firstSubscription.close());

    try (Admin admin = BROKER.admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin
          .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      TopicPartition partition =
          new TopicPartition(topic, keyPartition("k", BROKER.options().getPartitions()));
      assertEquals(1, committed.get(partition).offset(), "the first unacknowledged offset");
    }
    Inbox second = Inbox.acking();
    subscribe(topic, group, 3, second);
    List<CodeQMessage> again = second.next(2);
    assertEquals(List.of("offset-1", "offset-2"), texts(again));
    assertEquals(2, again.get(0).deliveryAttempt());
    assertEquals(2, again.get(1).deliveryAttempt());
    second.assertNothingMoreWithin(QUIET);
  }

  private static int keyPartition(String key, int count) {
    return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), count);
  }

  @Test
  void releaseRedeliversOnlyTheReleasedMessageAheadOfLaterOnes() throws Exception {
    String topic = unique("release-one");
    Inbox inbox = Inbox.holding();
    subscribe(topic, unique("invokers"), 3, inbox);
    for (int i = 0; i < 5; i++) {
      publish(topic, "k", "message-" + i);
    }
    List<CodeQMessage> held = inbox.next(3);
    assertEquals(List.of("message-0", "message-1", "message-2"), texts(held));

    held.get(1).release();

    CodeQMessage redelivered = inbox.next();
    assertEquals("message-1", text(redelivered));
    assertEquals(2, redelivered.deliveryAttempt());
    inbox.assertNothingMoreWithin(QUIET);
    await(held.get(0).ack());
    await(held.get(2).ack());
    await(redelivered.ack());
    List<CodeQMessage> rest = inbox.next(2);
    assertEquals(List.of("message-3", "message-4"), texts(rest));
    assertEquals(1, rest.get(0).deliveryAttempt());
    assertEquals(1, rest.get(1).deliveryAttempt());
    inbox.assertNothingMoreWithin(QUIET);
  }

  @Test
  void aTopicMissingAtPublishIsCreatedWithTheConfiguredPartitions() throws Exception {
    KafkaCodeQ threePartitions = startedQueue(BROKER.options().setPartitions(3));
    String topic = unique("created");

    await(threePartitions.publish(topic, "k", Buffer.buffer("first")));

    try (Admin admin = BROKER.admin()) {
      TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
      assertEquals(3, description.partitions().size());
      assertEquals(1, description.partitions().get(0).replicas().size());
    }
    Inbox inbox = Inbox.acking();
    await(threePartitions.subscribe(options(topic, unique("invokers"), 1), inbox));
    assertEquals("first", text(inbox.next()));
  }

  /**
   * Brokers before Kafka 4.5 append the second of two produce requests that reach a partition
   * while it is being created and refuse every retry of the first (KAFKA-15591): the first
   * request's records are lost. Publishes racing a topic's creation must all land anyway.
   */
  @Test
  void concurrentPublishesToATopicTheyCreateAllLand() throws Exception {
    KafkaCodeQ queue = startedQueue(BROKER.options().setPartitions(2)
        .setRequestTimeoutMs(1_000).setDeliveryTimeoutMs(3_000));
    int topics = 20;
    int perTopic = 40;
    try (Admin admin = BROKER.admin()) {
      for (int t = 0; t < topics; t++) {
        String topic = unique("racing");
        // issued from one event-loop task, so that they reach the producer together
        Promise<List<Future<Void>>> issued = Promise.promise();
        vertx.runOnContext(ignored -> {
          List<Future<Void>> publishes = new ArrayList<>();
          for (int i = 0; i < perTopic; i++) {
            publishes.add(queue.publish(topic, "k", Buffer.buffer("m" + i)));
          }
          issued.complete(publishes);
        });
        for (Future<Void> publish : await(issued.future())) {
          await(publish);
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < 2; p++) {
          latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long stored = admin.listOffsets(latest).all()
            .get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values().stream()
            .mapToLong(info -> info.offset()).sum();
        assertEquals(perTopic, stored, "records stored in " + topic);
      }
    }
  }

  @Test
  void pingAnswersWhileTheBrokerIsUp() throws Exception {
    Future<Void> ping = codeq.ping();
    assertNull(await(ping));
    assertTrue(ping.succeeded());
    // the same broker, but a stopped queue has no client to ask it: ping must say so, not pass
    await(codeq.stop());
    assertFailsWithCodeQException(codeq.ping());
  }

  @Test
  void pingFailsAgainstADeadBootstrapAddressWithinItsTimeout() throws Exception {
    KafkaCodeQ unreachable = startedQueue(new KafkaCodeQOptions()
        .setBootstrapServers("127.0.0.1:" + closedPort())
        .setPingTimeoutMs(500));

    Throwable failure = awaitFailure(unreachable.ping());

    assertInstanceOf(CodeQException.class, failure);
    assertTrue(failure.getMessage().contains("timeout 500 ms"), failure::getMessage);
  }

  @Test
  void publishAndSubscribeFailAgainstADeadBootstrapAddressWithinTheOperationTimeout()
      throws Exception {
    KafkaCodeQ unreachable = startedQueue(new KafkaCodeQOptions()
        .setBootstrapServers("127.0.0.1:" + closedPort())
        .setRequestTimeoutMs(500)
        .setDeliveryTimeoutMs(1_000)
        .setOperationTimeoutMs(1_000));

    assertFailsWithCodeQException(unreachable.publish(unique("t"), "k", Buffer.buffer("x")));
    assertFailsWithCodeQException(
        unreachable.subscribe(options(unique("t"), unique("g"), 1), Inbox.acking()));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * One message held on each of two partitions; a second member joins and takes one partition.
   * The first member acknowledges both while the rebalance waits for it: the moving partition's
   * message is committed before the move, so the new member does not get it again.
   */
  @Test
  void aRebalanceWaitsForTheMovingPartitionsMessagesAndDeliversNothingTwice() throws Exception {
    KafkaCodeQ twoPartitions = startedQueue(BROKER.options().setPartitions(2));
    String topic = unique("rebalance");
    String group = unique("invokers");
    String key0 = keyFor(0, 2);
    String key1 = keyFor(1, 2);
    Inbox members = Inbox.holding();
    await(twoPartitions.subscribe(options(topic, group, 4), members));
    await(twoPartitions.publish(topic, key0, Buffer.buffer("held-0")));
    await(twoPartitions.publish(topic, key1, Buffer.buffer("held-1")));
    List<CodeQMessage> held = members.next(2);

    await(twoPartitions.subscribe(options(topic, group, 4), members));
    for (CodeQMessage message : held) {
      await(message.ack());
    }

    // same keys: a second copy of a held message would arrive before the marker behind it
    await(twoPartitions.publish(topic, key0, Buffer.buffer("marker-0")));
    await(twoPartitions.publish(topic, key1, Buffer.buffer("marker-1")));
    assertEquals(Set.of("marker-0", "marker-1"), new HashSet<>(texts(members.next(2))));
    members.assertNothingMoreWithin(QUIET);
  }

  /**
   * Without a grace period the moving partition goes at once with its held message, and the new
   * member learns from the committed offset's metadata that this is the second attempt.
   */
  @Test
  void attemptCountsTravelWithThePartitionToTheNextMember() throws Exception {
    KafkaCodeQ impatient =
        startedQueue(BROKER.options().setPartitions(2).setRevocationGraceMs(0));
    String topic = unique("attempts-move");
    String group = unique("invokers");
    Inbox first = Inbox.holding();
    await(impatient.subscribe(options(topic, group, 4), first));
    await(impatient.publish(topic, keyFor(0, 2), Buffer.buffer("held-0")));
    await(impatient.publish(topic, keyFor(1, 2), Buffer.buffer("held-1")));
    Map<String, CodeQMessage> held = new HashMap<>();
    for (CodeQMessage message : first.next(2)) {
      held.put(text(message), message);
    }

    Inbox second = Inbox.holding();
    await(impatient.subscribe(options(topic, group, 4), second));

    CodeQMessage moved = second.next();
    assertEquals(2, moved.deliveryAttempt());
    assertFailsWithCodeQException(held.get(text(moved)).ack());
    String stayed = text(moved).equals("held-0") ? "held-1" : "held-0";
    await(held.get(stayed).ack());
    second.assertNothingMoreWithin(QUIET);
    first.assertNothingMoreWithin(Duration.ZERO);
  }
}
