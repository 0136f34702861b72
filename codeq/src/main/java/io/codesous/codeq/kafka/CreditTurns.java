package io.codesous.codeq.kafka;

import io.codesous.codeq.Outbox;

import java.util.ArrayDeque;

/**
 * The credits of one subscription and the turns its partitions take at them: at most
 * {@code maxInFlight} deliveries are out at once, and partitions with waiting records are served
 * one record each in turn, so that one busy partition cannot starve the others.
 *
 * <p>Not thread-safe: guarded by the owning {@link DeliveryLedger}'s monitor, like the
 * partitions it hands out from.
 */
final class CreditTurns {

  private final int maxInFlight;
  /** Partitions with waiting records, in the order they get their next turn. */
  private final ArrayDeque<PartitionLedger> turns = new ArrayDeque<>();
  private final Outbox<KafkaDelivery> outbox = new Outbox<>();
  private int inFlight;
  private int waiting;

  CreditTurns(int maxInFlight) {
    this.maxInFlight = maxInFlight;
  }

  /** Whether a fetch could be handed out at once: nothing waits and a credit is free. */
  boolean fetchCouldBeServed() {
    return waiting == 0 && inFlight < maxInFlight;
  }

  /** A record of {@code partition} now waits for a credit. */
  void recordWaiting(PartitionLedger partition) {
    waiting++;
    takeTurnLater(partition);
  }

  /** {@code count} waiting records were taken back (their partition leaves or seeks back). */
  void noLongerWaiting(int count) {
    waiting -= count;
  }

  /** A delivery that was out came back (acknowledged, released or withdrawn). */
  void creditReturned() {
    inFlight--;
  }

  /** See {@link Outbox#next()}. */
  KafkaDelivery nextForHandler() {
    return outbox.next();
  }

  /**
   * Hands waiting records out while credits last, one partition after the other.
   *
   * @return whether the outbox went from empty to not empty, so a drain must be scheduled
   */
  boolean handOut(DeliveryLedger owner) {
    boolean drainNeeded = false;
    while (inFlight < maxInFlight && waiting > 0 && !turns.isEmpty()) {
      PartitionLedger partition = turns.pollFirst();
      partition.inTurn(false);
      if (!partition.hasWaiting()) {
        continue;
      }
      drainNeeded |= outbox.add(partition.handOutNext(owner));
      waiting--;
      inFlight++;
      takeTurnLater(partition);
    }
    return drainNeeded;
  }

  /** Forgets every turn, credit and undrained delivery; for closing. */
  void clear() {
    turns.clear();
    outbox.clear();
    inFlight = 0;
    waiting = 0;
  }

  private void takeTurnLater(PartitionLedger partition) {
    if (partition.hasWaiting() && !partition.inTurn()) {
      partition.inTurn(true);
      turns.addLast(partition);
    }
  }
}
