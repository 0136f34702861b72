package io.codesous.codeq.kafka;

import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which thread appends a record, seen by a producer interceptor (Kafka calls {@code onSend} on
 * the thread that calls {@code send}), against the broker in this JVM.
 */
class KafkaPublisherIT {

  private static final KafkaTestBroker BROKER = KafkaTestBroker.shared();
  private static final String BLOCKING_THREAD = "test-blocking-sends";

  /** Each append, in order: the record's topic, key, and the thread that made it. */
  record Append(String topic, String key, String thread) {
  }

  private static final Queue<Append> APPENDS = new ConcurrentLinkedQueue<>();
  /** Appends and acknowledgements, in order, as "send <topic> <key>" and "ack <topic>". */
  private static final Queue<String> EVENTS = new ConcurrentLinkedQueue<>();

  /** Records every append; configured by class name, so its state is static. */
  public static final class RecordingInterceptor implements ProducerInterceptor<String, byte[]> {

    @Override
    public ProducerRecord<String, byte[]> onSend(ProducerRecord<String, byte[]> record) {
      APPENDS.add(new Append(record.topic(), record.key(), Thread.currentThread().getName()));
      EVENTS.add("send " + record.topic() + " " + record.key());
      return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
      if (metadata != null) {
        EVENTS.add("ack " + metadata.topic());
      }
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
  }

  private Vertx vertx;
  private Context eventLoop;
  private KafkaPublisher publisher;
  private String topic;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    eventLoop = vertx.getOrCreateContext();
    topic = "publisher-" + UUID.randomUUID();
    try (Admin admin = BROKER.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all()
          .get(10, TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (publisher != null) {
      await(publisher.close(vertx, 5_000));
    }
    await(vertx.close());
  }

  private void startPublisher(Map<String, String> extraSettings) {
    Map<String, String> settings = new HashMap<>(extraSettings);
    settings.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, RecordingInterceptor.class.getName());
    KafkaCodeQOptions options = BROKER.options().setClientProperties(settings);
    publisher = new KafkaPublisher(KafkaClientConfigs.producer(options, "publisher-it"),
        BLOCKING_THREAD);
  }

  /** Runs {@code sends} on the event loop; the future completes with their results. */
  private <T> Future<T> onEventLoop(Supplier<Future<T>> sends) {
    Promise<T> done = Promise.promise();
    eventLoop.runOnContext(ignored -> sends.get().onComplete(done));
    return done.future();
  }

  private Future<Void> send(String key, int bytes) {
    return publisher.send(eventLoop, topic, key, new byte[bytes]);
  }

  private List<Append> appendsToTopic() {
    List<Append> appends = new ArrayList<>();
    for (Append append : APPENDS) {
      if (append.topic().equals(topic)) {
        appends.add(append);
      }
    }
    return appends;
  }

  @Test
  void theFirstSendWaitsForMetadataOnItsOwnThreadAndLaterOnesAppendOnTheEventLoop()
      throws Exception {
    startPublisher(Map.of());
    List<Context> completedOn = new ArrayList<>();
    await(onEventLoop(() -> send("first", 10)
        .onSuccess(ignored -> completedOn.add(Vertx.currentContext()))
        .compose(ignored -> send("second", 10))
        .onSuccess(ignored -> completedOn.add(Vertx.currentContext()))));

    List<Append> appends = appendsToTopic();
    assertEquals(List.of("first", "second"), appends.stream().map(Append::key).toList());
    assertEquals(BLOCKING_THREAD, appends.get(0).thread());
    assertTrue(appends.get(1).thread().startsWith("vert.x-eventloop-thread"),
        "appended on " + appends.get(1).thread());
    assertEquals(2, completedOn.size());
    completedOn.forEach(context -> assertSame(eventLoop, context));
  }

  @Test
  void recordsForAPartitionNotYetWrittenWaitForItsFirstWriteAndKeepTheirOrder() throws Exception {
    startPublisher(Map.of());
    List<String> keys = List.of("same", "same", "same", "same", "same");
    await(onEventLoop(() -> Future.all(
        keys.stream().map(key -> send(key, 10)).toList()).mapEmpty()));

    List<String> events = new ArrayList<>();
    for (String event : EVENTS) {
      if (event.contains(topic)) {
        events.add(event.replace(" " + topic, ""));
      }
    }
    // one partition: the first record is acknowledged before any other is handed to the producer
    assertEquals(List.of("send same", "ack"), events.subList(0, 2));
    assertEquals(5, events.stream().filter(event -> event.equals("send same")).count());
    assertEquals(5, events.stream().filter(event -> event.equals("ack")).count());
  }

  @Test
  void aRecordThatWouldFillHalfTheBufferWaitsOnItsOwnThreadAndLaterSendsKeepTheirOrder()
      throws Exception {
    // a budget of 32 KB for direct sends
    startPublisher(Map.of(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(64 * 1024)));
    await(onEventLoop(() -> send("warm-up", 10)));

    await(onEventLoop(() -> Future.all(
        send("large", 40 * 1024), send("small-1", 10), send("small-2", 10)).mapEmpty()));

    List<Append> appends = appendsToTopic();
    assertEquals(List.of("warm-up", "large", "small-1", "small-2"),
        appends.stream().map(Append::key).toList());
    assertEquals(BLOCKING_THREAD, appends.get(1).thread());
  }

  @Test
  void aFailedSendCoolsTheTopicSoTheNextSendWaitsOnItsOwnThread() throws Exception {
    startPublisher(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024)));
    await(onEventLoop(() -> send("warm-up", 10).compose(ignored -> send("warm", 10))));

    Throwable failure = awaitFailure(onEventLoop(() -> send("too-large", 8 * 1024)));
    assertInstanceOf(RecordTooLargeException.class, failure);
    await(onEventLoop(() -> send("after-failure", 10)));

    List<Append> appends = appendsToTopic();
    assertEquals(List.of("warm-up", "warm", "too-large", "after-failure"),
        appends.stream().map(Append::key).toList());
    assertTrue(appends.get(2).thread().startsWith("vert.x-eventloop-thread"),
        "the oversized record was appended on " + appends.get(2).thread());
    assertEquals(BLOCKING_THREAD, appends.get(3).thread());
  }

  @Test
  void sendsAfterCloseFailWithoutBlocking() throws Exception {
    startPublisher(Map.of());
    await(onEventLoop(() -> send("before-close", 10)));
    await(publisher.close(vertx, 5_000));

    Throwable failure = awaitFailure(onEventLoop(() -> send("after-close", 10)));
    assertInstanceOf(IllegalStateException.class, failure);
    publisher = null;
  }
}
