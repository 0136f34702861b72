package io.codesous.codeq.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends records with a Kafka producer without blocking the caller's event loop, without a thread
 * hand-off when none is needed, and without losing records to a partition's creation.
 *
 * <p><b>Which thread appends.</b> {@link Producer#send} appends the record to the producer's buffer
 * on the calling thread; the producer's own I/O thread does the network part. The append blocks in
 * two cases only: the producer has no metadata for the topic (its first use, or none for
 * {@code metadata.max.idle.ms}), or its buffer ({@code buffer.memory}) is full. So a send goes
 * straight to the producer from the caller's thread when neither can happen:
 *
 * <ul>
 *   <li>a send to the topic was acknowledged less than half of {@code metadata.max.idle.ms} ago
 *       (every send renews the producer's metadata for the topic, and only an idle topic loses
 *       it), and
 *   <li>what this publisher has sent and not yet seen acknowledged takes at most half of
 *       {@code buffer.memory}, counting each record as at least a full batch ({@code batch.size}),
 *       which is what the producer sets aside for a record that starts a batch.
 * </ul>
 *
 * Every other send goes to one thread of the publisher's own, which may block for up to
 * {@code max.block.ms}. While a topic has sends waiting there, later sends to it wait there too, so
 * the sends of one caller keep their order. A failed send cools its topic: the next one goes to the
 * thread, so a topic that vanished does not block an event loop.
 *
 * <p><b>A partition's first write goes alone.</b> Brokers before Kafka 4.5 lose records when two
 * produce requests of one idempotent producer reach a partition it has not written yet around the
 * moment the broker takes the partition on (it was just created, or just moved there): the first
 * request fails as sent to a non-leader, the second is appended, and every retry of the first is
 * refused as out of sequence until its delivery timeout expires (KAFKA-15591). So until a write to
 * a partition has been acknowledged, this publisher has one record in flight to it and holds the
 * others back; they follow, in order, once it is acknowledged. The publisher picks each record's
 * partition itself, as Kafka's default partitioner does for a key (murmur2 of its UTF-8 bytes), and
 * round-robin for records without one.
 *
 * <p>Completions run on the context the send was made from.
 */
final class KafkaPublisher {

  /** What a record's key, value and framing take beyond its bytes, roughly; errs high. */
  private static final int RECORD_OVERHEAD_BYTES = 128;

  private final Producer<String, byte[]> producer;
  private final ExecutorService blockingSends;
  private final long warmNanos;
  private final long directBudgetBytes;
  private final int batchBytes;
  private final AtomicLong unackedBytes = new AtomicLong();
  private final Map<String, TopicState> topics = new ConcurrentHashMap<>();
  /** Set once closing starts: held records are then failed rather than tried. */
  private volatile boolean closed;

  /** What the publisher knows about one topic. */
  private static final class TopicState {
    /** Whether the last send to complete succeeded; false before the first. */
    volatile boolean acknowledged;
    /** When that send completed, by {@link System#nanoTime()}. */
    volatile long acknowledgedAtNanos;
    /** Sends to the topic handed to the blocking thread and not yet appended. */
    final AtomicInteger waiting = new AtomicInteger();
    /** Spreads the records without a key. */
    final AtomicInteger nextUnkeyed = new AtomicInteger();
    final PartitionGates<Send> gates = new PartitionGates<>();
  }

  /** @param config the producer's settings, as {@link KafkaClientConfigs#producer} builds them */
  KafkaPublisher(Map<String, String> config, String threadName) {
    this.producer = new KafkaProducer<>(new HashMap<String, Object>(config));
    this.warmNanos = TimeUnit.MILLISECONDS.toNanos(
        longSetting(config, ProducerConfig.METADATA_MAX_IDLE_CONFIG, 5 * 60 * 1000L) / 2);
    this.directBudgetBytes =
        longSetting(config, ProducerConfig.BUFFER_MEMORY_CONFIG, 32L * 1024 * 1024) / 2;
    this.batchBytes = (int) longSetting(config, ProducerConfig.BATCH_SIZE_CONFIG, 16 * 1024);
    this.blockingSends = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, threadName);
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * @return completes, on {@code context}, once the producer reports the record written; fails
   *     with the producer's exception (untranslated) otherwise
   */
  Future<Void> send(Context context, String topic, String key, byte[] value) {
    TopicState state = topics.computeIfAbsent(topic, name -> new TopicState());
    long footprint = Math.max(batchBytes, value.length + keyBytes(key) + RECORD_OVERHEAD_BYTES);
    Send send = new Send(state, context, topic, key, value, footprint);
    // counted until finish gives it back
    unackedBytes.addAndGet(footprint);
    if (mayAppendWithoutBlocking(state)) {
      append(send);
    } else {
      state.waiting.incrementAndGet();
      boolean handedOver = onBlockingThread(send, () -> {
        try {
          append(send);
        } finally {
          state.waiting.decrementAndGet();
        }
      });
      if (!handedOver) {
        state.waiting.decrementAndGet();
      }
    }
    return send.sent.future();
  }

  private boolean mayAppendWithoutBlocking(TopicState state) {
    return state.waiting.get() == 0
        && state.acknowledged
        && System.nanoTime() - state.acknowledgedAtNanos < warmNanos
        && unackedBytes.get() <= directBudgetBytes;
  }

  /** Picks the record's partition and hands it to the producer, unless its first write holds it. */
  private void append(Send send) {
    try {
      // blocks only for a topic without metadata, which only the blocking thread sends to
      int partitions = producer.partitionsFor(send.topic).size();
      send.partition = send.key == null
          ? Math.floorMod(send.state.nextUnkeyed.getAndIncrement(), partitions)
          : BuiltInPartitioner.partitionForKey(send.key.getBytes(StandardCharsets.UTF_8), partitions);
      switch (send.state.gates.admit(send.partition, send)) {
        case SEND -> transmit(send);
        case HELD -> {
          // firstWriteDone hands it back
        }
        case SEND_AFTER_RELEASED -> onBlockingThread(send, () -> transmitReleased(send));
      }
    } catch (RuntimeException failure) {
      finish(send, failure);
    }
  }

  private void transmit(Send send) {
    try {
      producer.send(new ProducerRecord<>(send.topic, send.partition, send.key, send.value),
          (metadata, failure) -> finish(send, failure));
    } catch (RuntimeException failure) {
      // thrown instead of reported to the callback (a closed producer, a serializer failure):
      // the record was not appended
      finish(send, failure);
    }
  }

  private void transmitReleased(Send send) {
    try {
      transmit(send);
    } finally {
      send.state.gates.released(send.partition);
    }
  }

  /** Runs on the producer's I/O thread (or where a send failed): nothing here may block. */
  private void finish(Send send, Throwable failure) {
    unackedBytes.addAndGet(-send.footprint);
    send.state.acknowledgedAtNanos = System.nanoTime();
    send.state.acknowledged = failure == null;
    if (send.partition >= 0) {
      PartitionGates.AfterFirstWrite<Send> after =
          send.state.gates.firstWriteDone(send.partition, send, failure == null, closed);
      for (Send released : after.released()) {
        onBlockingThread(released, () -> transmitReleased(released));
      }
      if (after.nextFirstWrite() != null) {
        Send next = after.nextFirstWrite();
        onBlockingThread(next, () -> transmit(next));
      }
      for (Send abandoned : after.abandoned()) {
        finish(abandoned, closedFailure());
      }
    }
    send.context.runOnContext(ignored -> {
      if (failure == null) {
        send.sent.complete();
      } else {
        send.sent.fail(failure);
      }
    });
  }

  /** @return false when the publisher is closed; {@code send} has then failed */
  private boolean onBlockingThread(Send send, Runnable task) {
    try {
      blockingSends.execute(task);
      return true;
    } catch (RejectedExecutionException rejected) {
      finish(send, closedFailure());
      return false;
    }
  }

  private static IllegalStateException closedFailure() {
    return new IllegalStateException("the producer is closed");
  }

  /**
   * Lets the sends already handed over reach the producer, then closes it, giving records in
   * flight up to {@code timeoutMs} to complete. Blocks, so it runs on a worker.
   */
  Future<Void> close(Vertx vertx, long timeoutMs) {
    closed = true;
    return vertx.executeBlocking(() -> {
      blockingSends.shutdown();
      try {
        blockingSends.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
      } finally {
        producer.close(Duration.ofMillis(timeoutMs));
      }
      return null;
    }, false);
  }

  /** At most this many bytes in UTF-8, without encoding it. */
  private static int keyBytes(String key) {
    return key == null ? 0 : key.length() * 3;
  }

  private static long longSetting(Map<String, String> config, String name, long fallback) {
    String value = config.get(name);
    return value == null ? fallback : Long.parseLong(value.trim());
  }

  /** One record on its way. */
  private static final class Send {
    final TopicState state;
    final Context context;
    final String topic;
    final String key;
    final byte[] value;
    final long footprint;
    final Promise<Void> sent = Promise.promise();
    /** Picked on the way to the producer; -1 before. */
    int partition = -1;

    Send(TopicState state, Context context, String topic, String key, byte[] value,
        long footprint) {
      this.state = state;
      this.context = context;
      this.topic = topic;
      this.key = key;
      this.value = value;
      this.footprint = footprint;
    }
  }
}
