package io.codesous.codeq.kafka;

import io.codesous.codeq.Outbox;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One subscription's deliveries: the partitions assigned to it, the records fetched and waiting
 * for a credit, the deliveries handed out, and what the consumer thread has to do next.
 *
 * <p>Two threads meet here: the subscription's consumer thread (fetching, rebalancing,
 * committing) and whatever thread acknowledges or releases a delivery (usually the handler's
 * context). The monitor guards all of it, including the state of the partitions' ledgers and of
 * the deliveries; nothing slow happens under it, and handlers are never called under it.
 *
 * <p>Credits ({@link CreditTurns}): the consumer fetches only while nothing waits for a credit
 * and a credit is free, and one poll returns at most {@code maxInFlight} records, so a
 * subscription never holds more than twice its credits.
 */
final class DeliveryLedger {

  /** Calls out of the ledger, made under its monitor: they must be quick and must not block. */
  interface Signals {

    /** Deliveries were put in the outbox while no drain was scheduled. */
    void deliveriesReady();

    /** The consumer thread should look at {@link #takeConsumerWork()} without waiting for its poll. */
    void consumerNeeded();
  }

  /** What the consumer thread has to apply before its next poll. */
  record ConsumerWork(Map<TopicPartition, Long> seeks, boolean fetch) {
  }

  private final String topic;
  private final Signals signals;
  private final PartitionLedgers partitions = new PartitionLedgers();
  private final CreditTurns credits;
  private boolean closed;
  /** Whether the consumer fetches, as it last applied. */
  private boolean fetching = true;
  private boolean seeksPending;
  /** A {@link Signals#consumerNeeded()} was sent and the consumer has not taken its work yet. */
  private boolean consumerSignalled;

  DeliveryLedger(String topic, int maxInFlight, Signals signals) {
    this.topic = topic;
    this.credits = new CreditTurns(maxInFlight);
    this.signals = signals;
  }

  String topic() {
    return topic;
  }

  // --- consumer thread -----------------------------------------------------------------------

  synchronized void assign(
      Collection<TopicPartition> assigned, Map<TopicPartition, OffsetAndMetadata> committed) {
    if (closed) {
      return;
    }
    partitions.assign(assigned, committed);
  }

  synchronized void accept(ConsumerRecords<String, byte[]> records) {
    if (closed) {
      return;
    }
    for (ConsumerRecord<String, byte[]> record : records) {
      PartitionLedger partition =
          partitions.get(new TopicPartition(record.topic(), record.partition()));
      if (partition != null && partition.accept(record)) {
        credits.recordWaiting(partition);
      }
    }
    // no wake-up: the consumer thread itself called this and takes its work next
    dispatch();
  }

  synchronized ConsumerWork takeConsumerWork() {
    consumerSignalled = false;
    Map<TopicPartition, Long> seeks = new HashMap<>();
    if (seeksPending) {
      seeksPending = false;
      for (PartitionLedger partition : partitions.all()) {
        long offset = partition.takeSeek();
        if (offset >= 0) {
          seeks.put(partition.partition(), offset);
        }
      }
    }
    fetching = wantsFetch();
    return new ConsumerWork(seeks, fetching);
  }

  /** Whether the consumer should fetch right now; for partitions assigned during a poll. */
  synchronized boolean wantsFetch() {
    return !closed && credits.fetchCouldBeServed();
  }

  /** Offsets to commit now for the partitions that are not being handed over. */
  synchronized Map<TopicPartition, OffsetAndMetadata> offsetsToCommit() {
    return partitions.offsetsToCommit();
  }

  synchronized Map<TopicPartition, OffsetAndMetadata> offsetsToCommit(
      Collection<TopicPartition> subset) {
    return partitions.offsetsToCommit(subset);
  }

  synchronized void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    partitions.committed(offsets);
  }

  /**
   * First step of handing partitions over: stop reading and handing them out, and take back what
   * no handler has seen yet (it does not count as an attempt). Handlers keep what they have.
   */
  synchronized void beginHandOver(Collection<TopicPartition> leaving) {
    for (TopicPartition partition : leaving) {
      PartitionLedger ledger = partitions.get(partition);
      if (ledger == null) {
        continue;
      }
      credits.noLongerWaiting(ledger.beginLeaving());
      for (KafkaDelivery delivery : ledger.inFlight()) {
        if (!delivery.seenByHandler() && delivery.withdraw()) {
          ledger.giveBack(delivery);
          credits.creditReturned();
        }
      }
    }
    dispatch();
    signalConsumerIfNeeded();
  }

  /**
   * Waits until the handlers have acknowledged or released every delivery of {@code leaving},
   * the subscription closes, or {@code graceMs} pass, whichever comes first.
   */
  synchronized void awaitSettled(Collection<TopicPartition> leaving, long graceMs)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMs);
    while (!closed && partitions.anyInFlight(leaving)) {
      long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (remainingMs <= 0) {
        return;
      }
      wait(remainingMs);
    }
  }

  /**
   * Forgets partitions that now belong to another member (or to nobody). Deliveries still out
   * are withdrawn: the next owner delivers them again, so acknowledging them fails.
   */
  synchronized void remove(Collection<TopicPartition> gone) {
    for (TopicPartition partition : gone) {
      PartitionLedger ledger = partitions.remove(partition);
      if (ledger == null) {
        continue;
      }
      credits.noLongerWaiting(ledger.beginLeaving());
      for (KafkaDelivery delivery : ledger.inFlight()) {
        if (delivery.withdraw()) {
          credits.creditReturned();
        }
      }
    }
    dispatch();
    signalConsumerIfNeeded();
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /** Sleeps until the ledger closes or the time passes; for backing off after a failure. */
  synchronized void pauseUnlessClosed(long millis) throws InterruptedException {
    if (!closed) {
      wait(millis);
    }
  }

  // --- handler side ---------------------------------------------------------------------------

  /** See {@link Outbox#next()}; the partition also learns that the attempt counts. */
  synchronized KafkaDelivery nextForHandler() {
    KafkaDelivery next = credits.nextForHandler();
    if (next != null) {
      next.partition().seen(next);
    }
    return next;
  }

  synchronized Future<Void> ack(KafkaDelivery delivery) {
    Optional<Future<Void>> answered = delivery.markAcked();
    if (answered.isPresent()) {
      return answered.get();
    }
    delivery.partition().acked(delivery);
    creditReturned();
    return Future.succeededFuture();
  }

  synchronized void release(KafkaDelivery delivery) {
    if (!delivery.markReleased()) {
      return;
    }
    PartitionLedger partition = delivery.partition();
    credits.noLongerWaiting(partition.giveBack(delivery));
    seeksPending |= partition.seekPending();
    creditReturned();
  }

  // --- either side ----------------------------------------------------------------------------

  /**
   * Stops deliveries and withdraws every delivery still out: acknowledging them fails from now
   * on. The partitions stay, so that the consumer can still commit what was completed before it
   * leaves the group.
   */
  synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (PartitionLedger partition : partitions.all()) {
      partition.dropWaiting();
      for (KafkaDelivery delivery : partition.inFlight()) {
        delivery.withdraw();
      }
    }
    credits.clear();
    notifyAll();
    signalConsumerIfNeeded();
  }

  // --- internals (under the monitor) ----------------------------------------------------------

  private void creditReturned() {
    credits.creditReturned();
    dispatch();
    // a hand-over may be waiting for this delivery
    notifyAll();
    signalConsumerIfNeeded();
  }

  private void dispatch() {
    if (credits.handOut(this)) {
      signals.deliveriesReady();
    }
  }

  private void signalConsumerIfNeeded() {
    if (!consumerSignalled && (closed || seeksPending || wantsFetch() != fetching)) {
      consumerSignalled = true;
      signals.consumerNeeded();
    }
  }
}
