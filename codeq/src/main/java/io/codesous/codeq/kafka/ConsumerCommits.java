package io.codesous.codeq.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The offset traffic of one consumer: periodic, hand-over and leaving commits of what the
 * {@link DeliveryLedger} says was completed, and reading what the previous owner committed.
 *
 * <p>Used only on the consumer's polling thread (the consumer is not thread-safe). A wake-up the
 * ledger sent for other work can interrupt any of these blocking calls, so each one retries past
 * it instead of losing a commit.
 */
final class ConsumerCommits {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerCommits.class);

  /** A wake-up interrupts at most one blocking call; a few retries always get past it. */
  private static final int WAKEUP_RETRIES = 3;

  private final Consumer<String, byte[]> consumer;
  private final DeliveryLedger ledger;
  private final String topic;
  private final long operationTimeoutMs;

  ConsumerCommits(Consumer<String, byte[]> consumer, DeliveryLedger ledger, String topic,
      long operationTimeoutMs) {
    this.consumer = consumer;
    this.ledger = ledger;
    this.topic = topic;
    this.operationTimeoutMs = operationTimeoutMs;
  }

  /**
   * Commits what was completed before the consumer leaves the group, retrying through a
   * rebalance until {@code deadline} (a {@link System#nanoTime()} value).
   *
   * <p>A commit is refused while the group rebalances; polling (with every partition paused)
   * lets the rebalance finish, and the revocation callback commits the partitions that move.
   */
  void commitBeforeLeaving(long deadline) {
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
  static Duration remaining(long deadline) {
    return Duration.ofMillis(Math.max(100, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
  }

  void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets) {
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

  void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    for (int attempt = 1; attempt <= WAKEUP_RETRIES; attempt++) {
      try {
        consumer.commitSync(offsets, Duration.ofMillis(operationTimeoutMs));
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

  Map<TopicPartition, OffsetAndMetadata> committedOffsets(
      Collection<TopicPartition> partitions) {
    for (int attempt = 1; attempt <= WAKEUP_RETRIES; attempt++) {
      try {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        consumer.committed(new HashSet<>(partitions),
                Duration.ofMillis(operationTimeoutMs))
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
}
