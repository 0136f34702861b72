package io.codesous.codeq.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.codeq.CodeQException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The bookkeeping behind credits, commits, redelivery and hand-over, without a broker. */
class DeliveryLedgerTest {

  private static final String TOPIC = "t";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  private int consumerSignals;
  private final DeliveryLedger.Signals signals = new DeliveryLedger.Signals() {
    @Override
    public void deliveriesReady() {
    }

    @Override
    public void consumerNeeded() {
      consumerSignals++;
    }
  };

  private DeliveryLedger ledger(int maxInFlight, TopicPartition... partitions) {
    DeliveryLedger ledger = new DeliveryLedger(TOPIC, maxInFlight, signals);
    ledger.assign(List.of(partitions), Map.of());
    return ledger;
  }

  private static ConsumerRecords<String, byte[]> records(TopicPartition partition, long... offsets) {
    List<ConsumerRecord<String, byte[]>> list = new ArrayList<>();
    for (long offset : offsets) {
      list.add(new ConsumerRecord<>(TOPIC, partition.partition(), offset, "k",
          ("m" + offset).getBytes(StandardCharsets.UTF_8)));
    }
    return new ConsumerRecords<>(Map.of(partition, list), Map.of());
  }

  /** Takes what the handler would be called with next, as the handler's context does. */
  private static List<KafkaDelivery> handlerTakes(DeliveryLedger ledger) {
    List<KafkaDelivery> taken = new ArrayList<>();
    KafkaDelivery next;
    while ((next = ledger.nextForHandler()) != null) {
      taken.add(next);
    }
    return taken;
  }

  private static List<Long> offsets(List<KafkaDelivery> deliveries) {
    List<Long> offsets = new ArrayList<>();
    for (KafkaDelivery delivery : deliveries) {
      offsets.add(delivery.offset());
    }
    return offsets;
  }

  @Test
  void handsOutNoMoreThanTheCreditsAndFetchesOnlyWithCreditsFreeAndNothingWaiting() {
    DeliveryLedger ledger = ledger(2, P0);
    assertTrue(ledger.takeConsumerWork().fetch());

    ledger.accept(records(P0, 0, 1, 2));

    List<KafkaDelivery> first = handlerTakes(ledger);
    assertEquals(List.of(0L, 1L), offsets(first));
    assertFalse(ledger.takeConsumerWork().fetch(), "credits used up and one record waiting");

    first.get(0).ack();
    assertEquals(List.of(2L), offsets(handlerTakes(ledger)));
    assertFalse(ledger.wantsFetch(), "credits used up again");

    first.get(1).ack();
    assertTrue(ledger.wantsFetch());
    assertTrue(consumerSignals > 0, "the consumer is told to resume");
  }

  @Test
  void commitsOnlyUpToTheFirstUnfinishedRecord() {
    DeliveryLedger ledger = ledger(3, P0);
    ledger.accept(records(P0, 0, 1, 2));
    List<KafkaDelivery> held = handlerTakes(ledger);

    held.get(0).ack();
    held.get(2).ack();

    OffsetAndMetadata commit = ledger.offsetsToCommit().get(P0);
    assertEquals(1, commit.offset());
    // offsets 1 (in flight) and 2 (acknowledged) were each seen once
    assertEquals("cq1;0-1=1", commit.metadata());

    held.get(1).ack();
    assertEquals(3, ledger.offsetsToCommit().get(P0).offset());
  }

  @Test
  void nothingIsCommittedTwiceOnceCommitted() {
    DeliveryLedger ledger = ledger(3, P0);
    ledger.accept(records(P0, 0));
    handlerTakes(ledger).get(0).ack();
    Map<TopicPartition, OffsetAndMetadata> offsets = ledger.offsetsToCommit();
    assertEquals(1, offsets.get(P0).offset());

    ledger.committed(offsets);

    assertTrue(ledger.offsetsToCommit().isEmpty());
  }

  @Test
  void aReleasedRecordIsReadAgainAndHandedOutBeforeTheRecordsThatWaitedBehindIt() {
    DeliveryLedger ledger = ledger(3, P0);
    ledger.accept(records(P0, 0, 1, 2, 3));
    List<KafkaDelivery> held = handlerTakes(ledger);
    assertEquals(List.of(0L, 1L, 2L), offsets(held));

    held.get(1).release();

    DeliveryLedger.ConsumerWork work = ledger.takeConsumerWork();
    assertEquals(Map.of(P0, 1L), work.seeks());
    // the re-read brings 1 (again), 2 (still in flight: skipped) and 3 (had waited: read again)
    ledger.accept(records(P0, 1, 2, 3));
    List<KafkaDelivery> again = handlerTakes(ledger);
    assertEquals(List.of(1L), offsets(again));
    assertEquals(2, again.get(0).deliveryAttempt());

    held.get(0).ack();
    List<KafkaDelivery> next = handlerTakes(ledger);
    assertEquals(List.of(3L), offsets(next));
    assertEquals(1, next.get(0).deliveryAttempt());
  }

  @Test
  void recordsFetchedBeforeTheSeekBackAreDropped() {
    DeliveryLedger ledger = ledger(2, P0);
    ledger.accept(records(P0, 0, 1));
    List<KafkaDelivery> held = handlerTakes(ledger);
    held.get(0).release();

    // a poll that was already under way when the release happened
    ledger.accept(records(P0, 2, 3));

    assertEquals(List.of(), offsets(handlerTakes(ledger)));
    assertEquals(Map.of(P0, 0L), ledger.takeConsumerWork().seeks());
    ledger.accept(records(P0, 0, 1, 2));
    assertEquals(List.of(0L), offsets(handlerTakes(ledger)));
  }

  @Test
  void acknowledgedRecordsReadAgainAfterASeekBackAreSkipped() {
    DeliveryLedger ledger = ledger(3, P0);
    ledger.accept(records(P0, 0, 1, 2));
    List<KafkaDelivery> held = handlerTakes(ledger);
    held.get(1).ack();
    held.get(2).ack();
    held.get(0).release();
    ledger.takeConsumerWork();

    ledger.accept(records(P0, 0, 1, 2, 3));

    assertEquals(List.of(0L, 3L), offsets(handlerTakes(ledger)));
  }

  @Test
  void ackAndReleaseAreIdempotentAndAStaleAckFails() throws Exception {
    DeliveryLedger ledger = ledger(2, P0);
    ledger.accept(records(P0, 0, 1));
    List<KafkaDelivery> held = handlerTakes(ledger);

    assertTrue(held.get(0).ack().succeeded());
    assertTrue(held.get(0).ack().succeeded());
    held.get(1).release();
    held.get(1).release();

    assertInstanceOf(CodeQException.class, held.get(1).ack().cause());
    assertEquals(Map.of(P0, 1L), ledger.takeConsumerWork().seeks());
  }

  @Test
  void closingWithdrawsWhatIsOutButKeepsWhatWasCompletedForTheLastCommit() {
    DeliveryLedger ledger = ledger(3, P0);
    ledger.accept(records(P0, 0, 1));
    List<KafkaDelivery> held = handlerTakes(ledger);
    held.get(0).ack();

    ledger.close();

    assertTrue(ledger.isClosed());
    assertInstanceOf(CodeQException.class, held.get(1).ack().cause());
    assertEquals(1, ledger.offsetsToCommit().get(P0).offset());
    assertFalse(ledger.wantsFetch());
  }

  @Test
  void aHandOverTakesBackWhatNoHandlerSawAndWaitsForTheRest() throws Exception {
    DeliveryLedger ledger = ledger(4, P0, P1);
    ledger.accept(records(P0, 0, 1));
    KafkaDelivery seen = ledger.nextForHandler();
    assertEquals(0, seen.offset());
    // offset 1 is handed out but its handler has not run yet

    ledger.beginHandOver(Set.of(P0));
    Thread acker = new Thread(() -> seen.ack());
    acker.start();
    ledger.awaitSettled(Set.of(P0), 10_000);
    acker.join();

    assertNull(ledger.nextForHandler(), "the unseen delivery was taken back");
    OffsetAndMetadata commit = ledger.offsetsToCommit(Set.of(P0)).get(P0);
    assertEquals(1, commit.offset());
    assertEquals("", commit.metadata(), "offset 1 was never seen: nothing to count");
    ledger.remove(Set.of(P0));
    assertTrue(ledger.wantsFetch(), "both credits are free again");
  }

  @Test
  void removingAPartitionWithdrawsItsDeliveries() {
    DeliveryLedger ledger = ledger(4, P0, P1);
    ledger.accept(records(P0, 0));
    ledger.accept(records(P1, 0));
    Map<TopicPartition, KafkaDelivery> held = new HashMap<>();
    for (KafkaDelivery delivery : handlerTakes(ledger)) {
      held.put(delivery.partition().partition(), delivery);
    }

    ledger.remove(Set.of(P0));

    assertInstanceOf(CodeQException.class, held.get(P0).ack().cause());
    assertTrue(held.get(P1).ack().succeeded());
    assertEquals(Set.of(P1), ledger.offsetsToCommit().keySet());
  }

  @Test
  void attemptCountsFromTheCommittedMetadataContinue() {
    DeliveryLedger ledger = new DeliveryLedger(TOPIC, 4, signals);
    ledger.assign(List.of(P0), Map.of(P0, new OffsetAndMetadata(5, "cq1;0=2,1-2=1")));

    ledger.accept(records(P0, 5, 6, 7, 8));

    List<Integer> attempts = new ArrayList<>();
    for (KafkaDelivery delivery : handlerTakes(ledger)) {
      attempts.add(delivery.deliveryAttempt());
    }
    assertEquals(List.of(3, 2, 2, 1), attempts);
  }

  @Test
  void recordsOfSeveralPartitionsTakeTurns() {
    DeliveryLedger ledger = ledger(4, P0, P1);
    Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> both = new HashMap<>();
    both.put(P0, records(P0, 0, 1, 2).records(P0));
    both.put(P1, records(P1, 0, 1, 2).records(P1));

    ledger.accept(new ConsumerRecords<>(both, Map.of()));

    Map<TopicPartition, Integer> handedOut = new HashMap<>();
    for (KafkaDelivery delivery : handlerTakes(ledger)) {
      handedOut.merge(delivery.partition().partition(), 1, Integer::sum);
    }
    assertEquals(Map.of(P0, 2, P1, 2), handedOut);
  }
}
