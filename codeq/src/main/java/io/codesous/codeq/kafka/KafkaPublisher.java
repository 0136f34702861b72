package io.codesous.codeq.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends records with a Kafka producer without blocking the caller's event loop, and without a
 * thread hand-off when none is needed.
 *
 * <p>{@link Producer#send} appends the record to the producer's buffer on the calling thread; the
 * producer's own I/O thread does the network part. The append blocks in two cases only: the
 * producer has no metadata for the topic (its first use, or none for {@code metadata.max.idle.ms}),
 * or its buffer ({@code buffer.memory}) is full. So a send goes straight to the producer from the
 * caller's thread when neither can happen:
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

  /** What the publisher knows about one topic. */
  private static final class TopicState {
    /** Whether the last send to complete succeeded; false before the first. */
    volatile boolean acknowledged;
    /** When that send completed, by {@link System#nanoTime()}. */
    volatile long acknowledgedAtNanos;
    /** Sends to the topic handed to the blocking thread and not yet appended. */
    final AtomicInteger waiting = new AtomicInteger();
  }

  /** @param config the producer's settings, as {@link KafkaClientConfigs#producer} builds them */
  KafkaPublisher(Map<String, String> config, String threadName) {
    this(new KafkaProducer<>(new HashMap<String, Object>(config)), config, threadName);
  }

  KafkaPublisher(Producer<String, byte[]> producer, Map<String, String> config, String threadName) {
    this.producer = producer;
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
    Promise<Void> sent = Promise.promise();
    TopicState state = topics.computeIfAbsent(topic, name -> new TopicState());
    long footprint = Math.max(batchBytes, value.length + keyBytes(key) + RECORD_OVERHEAD_BYTES);
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
    Callback done = (metadata, failure) -> {
      unackedBytes.addAndGet(-footprint);
      state.acknowledgedAtNanos = System.nanoTime();
      state.acknowledged = failure == null;
      context.runOnContext(ignored -> {
        if (failure == null) {
          sent.complete();
        } else {
          sent.fail(failure);
        }
      });
    };
    // counted until done gives it back
    if (mayAppendWithoutBlocking(state, footprint)) {
      unackedBytes.addAndGet(footprint);
      append(record, done);
    } else {
      state.waiting.incrementAndGet();
      unackedBytes.addAndGet(footprint);
      try {
        blockingSends.execute(() -> {
          try {
            append(record, done);
          } finally {
            state.waiting.decrementAndGet();
          }
        });
      } catch (RejectedExecutionException closed) {
        state.waiting.decrementAndGet();
        done.onCompletion(null, new IllegalStateException("the producer is closed"));
      }
    }
    return sent.future();
  }

  private boolean mayAppendWithoutBlocking(TopicState state, long footprint) {
    return state.waiting.get() == 0
        && state.acknowledged
        && System.nanoTime() - state.acknowledgedAtNanos < warmNanos
        && unackedBytes.get() + footprint <= directBudgetBytes;
  }

  private void append(ProducerRecord<String, byte[]> record, Callback done) {
    try {
      producer.send(record, done);
    } catch (RuntimeException failure) {
      // thrown instead of reported to the callback (a closed producer, a serializer failure):
      // the record was not appended
      done.onCompletion(null, failure);
    }
  }

  /**
   * Lets the sends already handed over reach the producer, then closes it, giving records in
   * flight up to {@code timeoutMs} to complete. Blocks, so it runs on a worker.
   */
  Future<Void> close(Vertx vertx, long timeoutMs) {
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
}
