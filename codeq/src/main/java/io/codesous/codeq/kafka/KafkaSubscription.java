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
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
  /** A wake-up interrupts at most one blocking call; a few retries always get past it. */
  private static final int WAKEUP_RETRIES = 3;

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
      consumer.subscribe(List.of(topic), new Rebalancing());
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
        commitAsync(ledger.offsetsToCommit());
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
   *
   * <p>A commit is refused while the group rebalances; polling (with every partition paused)
   * lets the rebalance finish, and the revocation callback commits the partitions that move.
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
      commitBeforeLeaving(deadline);
    } finally {
      try {
        polling.close(CloseOptions.timeout(remaining(deadline)));
      } catch (RuntimeException failure) {
        LOG.warn("closing the codeQ consumer of " + topic + " failed", failure);
      }
    }
  }

  private void commitBeforeLeaving(long deadline) {
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> offsets = ledger.offsetsToCommit();
      if (offsets.isEmpty()) {
        return;
      }
      try {
        consumer.commitSync(offsets, remaining(deadline));
        ledger.committed(offsets);
        return;
      } catch (WakeupException wokenUp) {
        // only asks this thread to look at the ledger, which has nothing more to say: retry
      } catch (RebalanceInProgressException rebalancing) {
        if (System.nanoTime() - deadline >= 0) {
          LOG.warn("the group of " + topic + " kept rebalancing; leaving without"
              + " committing " + offsets);
          return;
        }
        try {
          consumer.pause(consumer.assignment());
          consumer.poll(Duration.ofMillis(100));
        } catch (WakeupException wokenUp) {
          // as above
        }
      } catch (KafkaException failure) {
        LOG.warn("committing " + offsets + " failed; the group will deliver"
            + " again what was acknowledged since the last commit", failure);
        return;
      }
    }
  }

  /** What is left until {@code deadline}, but never nothing: Kafka reads zero as "do not try". */
  private static Duration remaining(long deadline) {
    return Duration.ofMillis(Math.max(100, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
  }

  private void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    consumer.commitAsync(offsets, (committed, failure) -> {
      if (failure == null) {
        ledger.committed(offsets);
      } else {
        // the next periodic commit carries the same offsets or later ones
        LOG.debug("periodic commit for " + topic + " failed: " + failure);
      }
    });
  }

  private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    for (int attempt = 1; attempt <= WAKEUP_RETRIES; attempt++) {
      try {
        consumer.commitSync(offsets, Duration.ofMillis(options.getOperationTimeoutMs()));
        ledger.committed(offsets);
        return;
      } catch (WakeupException wokenUp) {
        // only asks this thread to look at the ledger later; the commit still has to happen
      } catch (KafkaException failure) {
        LOG.warn("committing " + offsets + " failed; the group will deliver"
            + " again what was acknowledged since the last commit", failure);
        return;
      }
    }
  }

  private Map<TopicPartition, OffsetAndMetadata> committedOffsets(
      Collection<TopicPartition> partitions) {
    for (int attempt = 1; attempt <= WAKEUP_RETRIES; attempt++) {
      try {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        consumer.committed(new HashSet<>(partitions),
                Duration.ofMillis(options.getOperationTimeoutMs()))
            .forEach((partition, offset) -> {
              if (offset != null) {
                committed.put(partition, offset);
              }
            });
        return committed;
      } catch (WakeupException wokenUp) {
        // retry: see commitSync
      } catch (KafkaException failure) {
        LOG.warn("reading the committed offsets of " + partitions + " failed;"
            + " delivery attempts recorded by their previous owner are not known", failure);
        return Map.of();
      }
    }
    return Map.of();
  }

  private long commitIntervalNanos() {
    return TimeUnit.MILLISECONDS.toNanos(options.getCommitIntervalMs());
  }

  /** Runs inside {@code poll} on the polling thread, before partitions move. */
  private final class Rebalancing implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      try {
        if (!assigned.isEmpty()) {
          ledger.assign(assigned, committedOffsets(assigned));
          if (!ledger.wantsFetch()) {
            // out of credits: the rest of this poll must not bring records for them either
            consumer.pause(assigned);
          }
        }
      } finally {
        context.runOnContext(ignored -> joined.tryComplete(KafkaSubscription.this));
      }
    }

    /**
     * Lets the handlers finish what they hold of these partitions (up to the revocation grace),
     * commits what was completed, and only then lets the partitions go: the next owner starts
     * right after the last completed message, so a rebalance redelivers as little as possible.
     */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      if (revoked.isEmpty()) {
        return;
      }
      ledger.beginHandOver(revoked);
      try {
        ledger.awaitSettled(revoked, options.getRevocationGraceMs());
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
      commitSync(ledger.offsetsToCommit(revoked));
      ledger.remove(revoked);
    }

    /** The partitions already belong to someone else: nothing may be committed for them. */
    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      ledger.remove(lost);
    }
  }

  // --- handler context ------------------------------------------------------------------------

  private KafkaDelivery nextForHandler() {
    return ledger.nextForHandler();
  }
}
