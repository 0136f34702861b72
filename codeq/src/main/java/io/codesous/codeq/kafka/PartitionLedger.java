package io.codesous.codeq.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What one member knows about one partition assigned to it: the records it fetched and has not
 * finished, how often handlers saw them, and where the consumer must read again. Not
 * thread-safe: guarded by the owning {@link DeliveryLedger}'s monitor.
 *
 * <p>Invariant: every offset from the commit point up to {@link #fetchedUpTo} is either an
 * unfinished record held here or was acknowledged. So the offset to commit is the first
 * unfinished record, or {@code fetchedUpTo} when there is none: a commit never covers a record
 * whose handling has not completed, whatever order acknowledgements come in, and memory holds
 * only unfinished records (at most the credits plus one poll), not the acknowledged ones.
 *
 * <p>Kafka cannot hand one record out again, only move the read position. A record given back
 * ({@link #giveBack}) therefore makes the consumer seek back to it; records after it that are in
 * flight or acknowledged are skipped when read again, and records after it that were still
 * waiting for a credit are read again too, so that they are handed out after it, in offset order.
 */
final class PartitionLedger {

  private enum SlotState {
    /** Fetched, waiting for a credit. */
    WAITING,
    IN_FLIGHT,
    /** Must be read again: released, or dropped before a handler saw it. */
    RETURNED
  }

  /** An unfinished record. */
  private static final class Slot {
    final long offset;
    SlotState state;
    /** Kept only while waiting; the delivery holds its own copy of what it needs. */
    ConsumerRecord<String, byte[]> record;
    KafkaDelivery delivery;
    /** How often handlers of the group saw it, previous owners included. */
    int seen;

    Slot(long offset, int seen) {
      this.offset = offset;
      this.seen = seen;
    }
  }

  private final TopicPartition partition;
  /** Fetched records not acknowledged yet, by offset. */
  private final NavigableMap<Long, Slot> unfinished = new TreeMap<>();
  /** The unfinished records in state WAITING, by offset. */
  private final NavigableMap<Long, Slot> waiting = new TreeMap<>();
  /**
   * Acknowledged offsets at or above the commit point that handlers saw more than once
   * (released, then acknowledged); every other acknowledged offset was seen once.
   */
  private final NavigableMap<Long, Integer> ackedAfterRetries = new TreeMap<>();
  /** Counts recorded by previous owners, for offsets this member has not fetched yet. */
  private final AttemptsMetadata.Runs inherited;
  /** Offset after the highest record fetched, or the committed offset; -1 while unknown. */
  private long fetchedUpTo;
  /** Everything below was completed by the group; never decreases; -1 while unknown. */
  private long floor;
  /** Where the consumer must seek back to before reading this partition again; -1 if nowhere. */
  private long seekTo = -1;
  /** Set once a rebalance takes the partition away: nothing is handed out or read any more. */
  private boolean leaving;
  /** Whether the partition is queued for its turn in the ledger's hand-out rotation. */
  private boolean inTurn;
  private OffsetAndMetadata lastCommitted;

  /** @param committed what the group committed for the partition, or {@code null} */
  PartitionLedger(TopicPartition partition, OffsetAndMetadata committed) {
    this.partition = partition;
    if (committed == null) {
      this.fetchedUpTo = -1;
      this.floor = -1;
      this.inherited = new AttemptsMetadata.Runs();
    } else {
      this.fetchedUpTo = committed.offset();
      this.floor = committed.offset();
      this.inherited = AttemptsMetadata.decode(committed.offset(), committed.metadata());
      this.lastCommitted = committed;
    }
  }

  TopicPartition partition() {
    return partition;
  }

  /** @return whether the record now waits for a credit */
  boolean accept(ConsumerRecord<String, byte[]> record) {
    long offset = record.offset();
    if (leaving || (seekTo >= 0 && offset >= seekTo)) {
      // fetched before a seek back (or a hand-over) took effect: it is read again after it
      return false;
    }
    if (floor >= 0 && offset < floor) {
      return false;
    }
    Slot slot = unfinished.get(offset);
    if (slot == null && fetchedUpTo >= 0 && offset < fetchedUpTo) {
      // read again after a seek back, and acknowledged meanwhile
      return false;
    }
    if (slot == null) {
      slot = new Slot(offset, inherited.count(offset));
      unfinished.put(offset, slot);
      fetchedUpTo = offset + 1;
    } else if (slot.state != SlotState.RETURNED) {
      // read again after a seek back, but still in flight or waiting
      return false;
    }
    slot.state = SlotState.WAITING;
    slot.record = record;
    waiting.put(offset, slot);
    return true;
  }

  boolean hasWaiting() {
    return !waiting.isEmpty();
  }

  KafkaDelivery handOutNext(DeliveryLedger owner) {
    Slot slot = waiting.pollFirstEntry().getValue();
    slot.state = SlotState.IN_FLIGHT;
    slot.delivery = new KafkaDelivery(owner, this, slot.offset, slot.record, slot.seen + 1);
    slot.record = null;
    return slot.delivery;
  }

  /** A handler was called with the delivery: from now on it counts as an attempt. */
  void seen(KafkaDelivery delivery) {
    Slot slot = unfinished.get(delivery.offset());
    slot.seen = Math.max(slot.seen, delivery.deliveryAttempt());
  }

  void acked(KafkaDelivery delivery) {
    Slot slot = unfinished.remove(delivery.offset());
    if (slot.seen > 1) {
      ackedAfterRetries.put(slot.offset, slot.seen);
    }
  }

  /**
   * The delivery's record must be delivered again (released, or withdrawn before a handler saw
   * it). Unless the partition is being handed over, the consumer seeks back to it.
   *
   * @return how many waiting records were returned with it (they must be read again after it)
   */
  int giveBack(KafkaDelivery delivery) {
    Slot slot = unfinished.get(delivery.offset());
    slot.state = SlotState.RETURNED;
    slot.delivery = null;
    if (leaving) {
      return 0;
    }
    int returned = returnWaiting(waiting.tailMap(delivery.offset(), false));
    seekTo = seekTo < 0 ? delivery.offset() : Math.min(seekTo, delivery.offset());
    return returned;
  }

  /** @return the offset to seek back to, once, or -1 */
  long takeSeek() {
    long offset = seekTo;
    seekTo = -1;
    return offset;
  }

  boolean seekPending() {
    return seekTo >= 0;
  }

  /**
   * Stops handing out and reading this partition: a rebalance gives it to another member.
   *
   * @return how many waiting records were dropped (the next owner reads them)
   */
  int beginLeaving() {
    leaving = true;
    seekTo = -1;
    return returnWaiting(waiting);
  }

  /**
   * Drops the records waiting for a credit, to be read again by whoever reads next (the
   * subscription closes).
   *
   * @return how many were dropped
   */
  int dropWaiting() {
    return returnWaiting(waiting);
  }

  boolean isLeaving() {
    return leaving;
  }

  List<KafkaDelivery> inFlight() {
    List<KafkaDelivery> deliveries = new ArrayList<>();
    for (Slot slot : unfinished.values()) {
      if (slot.state == SlotState.IN_FLIGHT) {
        deliveries.add(slot.delivery);
      }
    }
    return deliveries;
  }

  /**
   * @return the offset to commit now, with the attempt counts from there on as metadata, or
   *     {@code null} when it did not change since the last successful commit or nothing is known
   */
  OffsetAndMetadata toCommit() {
    long next = unfinished.isEmpty() ? fetchedUpTo : unfinished.firstKey();
    if (next < 0) {
      return null;
    }
    floor = Math.max(floor, next);
    ackedAfterRetries.headMap(floor, false).clear();
    inherited.dropBelow(fetchedUpTo);
    OffsetAndMetadata commit = new OffsetAndMetadata(floor, attemptsFromFloor());
    return commit.equals(lastCommitted) ? null : commit;
  }

  void committed(OffsetAndMetadata commit) {
    if (lastCommitted == null || commit.offset() >= lastCommitted.offset()) {
      lastCommitted = commit;
    }
  }

  boolean inTurn() {
    return inTurn;
  }

  void inTurn(boolean inTurn) {
    this.inTurn = inTurn;
  }

  private String attemptsFromFloor() {
    AttemptsMetadata.Writer writer = new AttemptsMetadata.Writer(floor);
    long next = floor;
    for (Slot slot : unfinished.values()) {
      writeAcknowledged(writer, next, slot.offset);
      writer.add(slot.offset, slot.offset, slot.seen);
      next = slot.offset + 1;
    }
    writeAcknowledged(writer, next, fetchedUpTo);
    inherited.writeFrom(Math.max(next, fetchedUpTo), writer);
    return writer.finish();
  }

  /** Writes the acknowledged offsets {@code from} (inclusive) to {@code to} (exclusive). */
  private void writeAcknowledged(AttemptsMetadata.Writer writer, long from, long to) {
    long next = from;
    for (Map.Entry<Long, Integer> retried : ackedAfterRetries.subMap(from, true, to, false)
        .entrySet()) {
      writer.add(next, retried.getKey() - 1, 1);
      writer.add(retried.getKey(), retried.getKey(), retried.getValue());
      next = retried.getKey() + 1;
    }
    writer.add(next, to - 1, 1);
  }

  private static int returnWaiting(Map<Long, Slot> toReturn) {
    int count = 0;
    for (Slot slot : toReturn.values()) {
      slot.state = SlotState.RETURNED;
      slot.record = null;
      count++;
    }
    toReturn.clear();
    return count;
  }
}
