package io.codesous.codeq.kafka;

import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.HandlerDrain;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a consumer group: a Kafka consumer driven by a thread of its own, and a handler
 * called on the subscribing context.
 *
 * <p>The consumer is not thread-safe and its calls block, so only its thread touches it: that
 * thread polls, pauses and resumes the partitions as credits run out and come back, seeks back
 * for released messages, commits, and runs the rebalance callbacks. Everything it shares with the
 * handler side lives in the {@link DeliveryLedger}; when the ledger needs the thread sooner than
 * its poll would return, it wakes the consumer up. No event loop ever waits for Kafka.
 *
 * <p>(vertx-kafka-client's {@code KafkaConsumer} is not used for this side: it runs rebalance
 * handlers asynchronously on the context, after the partitions have already moved, so it cannot
 * commit what was completed before the next owner starts reading; and its record stream can hand
 * out records fetched before a seek.)
 */
final class KafkaSubscription implements CodeQSubscription {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSubscription.class);

  /** Pause after an unexpected consumer failure before polling again. */
  private static final long FAILURE_BACKOFF_MS = 1_000;

  private final KafkaCodeQOptions options;
  private final String topic;
  private final String group;
  private final Map<String, Object> consumerConfig;
  private final Context context;
  private final DeliveryLedger ledger;
  private final Promise<CodeQSubscription> joined = Promise.promise();
  private final Promise<Void> left = Promise.promise();
  private final Thread pollingThread;
  /** Set by the polling thread once created; read by others only to wake it up. */
  private volatile Consumer<String, byte[]> consumer;
  /** Created and used by the polling thread only. */
  private ConsumerCommits commits;

  KafkaSubscription(KafkaCodeQOptions options, String topic, String group, int maxInFlight,
      String clientId, Context context, Handler<CodeQMessage> handler) {
    this.options = options;
    this.topic = topic;
    this.group = group;
    this.consumerConfig = new HashMap<>(KafkaClientConfigs.consumer(
        options, group, clientId, Math.min(options.getMaxPollRecords(), maxInFlight)));
    this.context = context;
    HandlerDrain drain = new HandlerDrain(context, handler, this::nextForHandler,
        "topic " + topic + ", group " + group);
    this.ledger = new DeliveryLedger(topic, maxInFlight, new DeliveryLedger.Signals() {
      @Override
      public void deliveriesReady() {
        drain.schedule();
      }

      @Override
      public void consumerNeeded() {
        Consumer<String, byte[]> polling = consumer;
        if (polling != null) {
          polling.wakeup();
        }
      }
    });
    this.pollingThread = new Thread(this::consume, "codeq-kafka-" + clientId);
    // like Kafka's own client threads: never what keeps a JVM alive
    this.pollingThread.setDaemon(true);
  }

  /** Starts consuming; succeeds once the group has given this member its first assignment. */
  Future<CodeQSubscription> start() {
    pollingThread.start();
    return joined.future()
        .timeout(options.getOperationTimeoutMs(), TimeUnit.MILLISECONDS)
        .recover(failure -> close().transform(ignored -> Future.failedFuture(
            KafkaFailures.translate("subscribing to " + topic + " as group " + group, failure))));
  }

  @Override
  public Future<Void> close() {
    ledger.close();
    return left.future();
  }

  // --- polling thread -------------------------------------------------------------------------

  private void consume() {
    try {
      consumer = new KafkaConsumer<>(consumerConfig);
      commits = new ConsumerCommits(consumer, ledger, topic, options.getOperationTimeoutMs());
      consumer.subscribe(List.of(topic), new PartitionHandOver(consumer, ledger, commits,
          options.getRevocationGraceMs(),
          () -> context.runOnContext(ignored -> joined.tryComplete(this))));
      long nextCommitAt = System.nanoTime() + commitIntervalNanos();
      while (!ledger.isClosed()) {
        nextCommitAt = pollOnce(nextCommitAt);
      }
    } catch (Throwable failure) {
      LOG.error("codeQ consumer of " + topic + " (group " + group + ") stopped", failure);
      context.runOnContext(ignored -> joined.tryFail(failure));
    } finally {
      leaveGroup();
      context.runOnContext(ignored -> left.tryComplete());
    }
  }

  /** @return when the next periodic commit is due */
  private long pollOnce(long nextCommitAt) throws InterruptedException {
    try {
      DeliveryLedger.ConsumerWork work = ledger.takeConsumerWork();
      Set<TopicPartition> assignment = consumer.assignment();
      work.seeks().forEach((partition, offset) -> {
        if (assignment.contains(partition)) {
          consumer.seek(partition, offset);
        }
      });
      if (work.fetch()) {
        consumer.resume(assignment);
      } else {
        consumer.pause(assignment);
      }
      long now = System.nanoTime();
      if (now - nextCommitAt >= 0) {
        commits.commitAsync(ledger.offsetsToCommit());
        nextCommitAt = now + commitIntervalNanos();
      }
      long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextCommitAt - now));
      ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(waitMs));
      if (!records.isEmpty()) {
        ledger.accept(records);
      }
    } catch (WakeupException wokenUp) {
      // the ledger has work for this thread: the next round takes it
    } catch (InterruptException interrupted) {
      throw new InterruptedException("codeQ consumer interrupted");
    } catch (KafkaException failure) {
      LOG.warn("codeQ consumer of " + topic + " (group " + group + ") failed;"
          + " polling again in " + FAILURE_BACKOFF_MS + " ms", failure);
      ledger.pauseUnlessClosed(FAILURE_BACKOFF_MS);
    }
    return nextCommitAt;
  }

  /**
   * Commits what was completed, then leaves the group so that the partitions move at once; both
   * within one operation timeout, so that closing against an unreachable cluster ends too.
   */
  private void leaveGroup() {
    Consumer<String, byte[]> polling = consumer;
    // withdraws whatever is still out, if the loop ended by a failure rather than by close()
    ledger.close();
    if (polling == null) {
      return;
    }
    long deadline = System.nanoTime()
        + TimeUnit.MILLISECONDS.toNanos(options.getOperationTimeoutMs());
    try {
      commits.commitBeforeLeaving(deadline);
    } finally {
      try {
        polling.close(CloseOptions.timeout(ConsumerCommits.remaining(deadline)));
      } catch (RuntimeException failure) {
        LOG.warn("closing the codeQ consumer of " + topic + " failed", failure);
      }
    }
  }

  private long commitIntervalNanos() {
    return TimeUnit.MILLISECONDS.toNanos(options.getCommitIntervalMs());
  }

  // --- handler context ------------------------------------------------------------------------

  private KafkaDelivery nextForHandler() {
    return ledger.nextForHandler();
  }
}
