package io.codesous.codeq.kafka;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ledgers of the partitions assigned to one subscription, and the offsets they have to commit. Not
 * thread-safe: the {@link DeliveryLedger}'s monitor guards it.
 */
final class PartitionLedgers {

  private final Map<TopicPartition, PartitionLedger> partitions = new LinkedHashMap<>();

  void assign(Collection<TopicPartition> assigned, Map<TopicPartition, OffsetAndMetadata> committed) {
    for (TopicPartition partition : assigned) {
      partitions.computeIfAbsent(partition, p -> new PartitionLedger(p, committed.get(p)));
    }
  }

  /** The ledger of {@code partition}, or {@code null} when it is not assigned. */
  PartitionLedger get(TopicPartition partition) {
    return partitions.get(partition);
  }

  /** Forgets {@code partition}; its ledger, or {@code null} when it was not assigned. */
  PartitionLedger remove(TopicPartition partition) {
    return partitions.remove(partition);
  }

  Collection<PartitionLedger> all() {
    return partitions.values();
  }

  /** Offsets to commit now for the partitions that are not being handed over. */
  Map<TopicPartition, OffsetAndMetadata> offsetsToCommit() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (PartitionLedger partition : partitions.values()) {
      if (!partition.isLeaving()) {
        putIfDue(offsets, partition);
      }
    }
    return offsets;
  }

  /** Offsets to commit now for {@code subset}. */
  Map<TopicPartition, OffsetAndMetadata> offsetsToCommit(Collection<TopicPartition> subset) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : subset) {
      PartitionLedger ledger = partitions.get(partition);
      if (ledger != null) {
        putIfDue(offsets, ledger);
      }
    }
    return offsets;
  }

  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((partition, commit) -> {
      PartitionLedger ledger = partitions.get(partition);
      if (ledger != null) {
        ledger.committed(commit);
      }
    });
  }

  /** Whether a handler still holds a delivery of {@code subset}. */
  boolean anyInFlight(Collection<TopicPartition> subset) {
    for (TopicPartition partition : subset) {
      PartitionLedger ledger = partitions.get(partition);
      if (ledger != null && !ledger.inFlight().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static void putIfDue(Map<TopicPartition, OffsetAndMetadata> offsets, PartitionLedger partition) {
    OffsetAndMetadata commit = partition.toCommit();
    if (commit != null) {
      offsets.put(partition.partition(), commit);
    }
  }
}
