package io.codesous.codeq.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;

/**
 * How partitions move in and out of one consumer. Runs inside {@code poll} on the polling
 * thread, before partitions move, which is what lets it commit what was completed before the
 * next owner starts reading.
 */
final class PartitionHandOver implements ConsumerRebalanceListener {

  private final Consumer<String, byte[]> consumer;
  private final DeliveryLedger ledger;
  private final ConsumerCommits commits;
  private final long revocationGraceMs;
  private final Runnable onAssigned;

  /**
   * @param onAssigned run after every assignment (the subscription completes its start on the
   *     first one; later runs find it complete)
   */
  PartitionHandOver(Consumer<String, byte[]> consumer, DeliveryLedger ledger,
      ConsumerCommits commits, long revocationGraceMs, Runnable onAssigned) {
    this.consumer = consumer;
    this.ledger = ledger;
    this.commits = commits;
    this.revocationGraceMs = revocationGraceMs;
    this.onAssigned = onAssigned;
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
    try {
      if (!assigned.isEmpty()) {
        ledger.assign(assigned, commits.committedOffsets(assigned));
        if (!ledger.wantsFetch()) {
          // out of credits: the rest of this poll must not bring records for them either
          consumer.pause(assigned);
        }
      }
    } finally {
      onAssigned.run();
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
      ledger.awaitSettled(revoked, revocationGraceMs);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    commits.commitSync(ledger.offsetsToCommit(revoked));
    ledger.remove(revoked);
  }

  /** The partitions already belong to someone else: nothing may be committed for them. */
  @Override
  public void onPartitionsLost(Collection<TopicPartition> lost) {
    ledger.remove(lost);
  }
}
