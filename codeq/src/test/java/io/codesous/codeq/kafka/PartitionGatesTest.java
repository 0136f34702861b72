package io.codesous.codeq.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.codesous.codeq.kafka.PartitionGates.Admission;
import io.codesous.codeq.kafka.PartitionGates.AfterFirstWrite;

import java.util.List;

import org.junit.jupiter.api.Test;

class PartitionGatesTest {

  private final PartitionGates<String> gates = new PartitionGates<>();

  @Test
  void eachPartitionLetsItsFirstWriteThroughAndHoldsTheNext() {
    assertEquals(Admission.SEND, gates.admit(0, "a"));
    assertEquals(Admission.SEND, gates.admit(1, "b"));
    assertEquals(Admission.HELD, gates.admit(0, "c"));
    assertEquals(Admission.HELD, gates.admit(1, "d"));
  }

  @Test
  void aSucceededFirstWriteReleasesTheHeldWritesInOrderAndOpensThePartition() {
    gates.admit(0, "a");
    gates.admit(0, "b");
    gates.admit(0, "c");

    AfterFirstWrite<String> after = gates.firstWriteDone(0, "a", true, false);

    assertEquals(List.of("b", "c"), after.released());
    assertNull(after.nextFirstWrite());
    // while the released ones are being sent, newcomers go behind them
    assertEquals(Admission.SEND_AFTER_RELEASED, gates.admit(0, "d"));
    gates.released(0);
    gates.released(0);
    gates.released(0);
    assertEquals(Admission.SEND, gates.admit(0, "e"));
  }

  @Test
  void aFailedFirstWriteMakesTheOldestHeldWriteTheNextFirstWrite() {
    gates.admit(0, "a");
    gates.admit(0, "b");
    gates.admit(0, "c");

    AfterFirstWrite<String> after = gates.firstWriteDone(0, "a", false, false);

    assertEquals(List.of(), after.released());
    assertSame("b", after.nextFirstWrite());
    assertEquals(Admission.HELD, gates.admit(0, "d"));
    assertEquals(List.of("c", "d"), gates.firstWriteDone(0, "b", true, false).released());
  }

  @Test
  void aFailedLastFirstWriteLeavesThePartitionToTheNextWrite() {
    gates.admit(0, "a");

    AfterFirstWrite<String> after = gates.firstWriteDone(0, "a", false, false);

    assertNull(after.nextFirstWrite());
    assertEquals(Admission.SEND, gates.admit(0, "b"));
    assertEquals(Admission.HELD, gates.admit(0, "c"));
  }

  @Test
  void closingAbandonsTheHeldWrites() {
    gates.admit(0, "a");
    gates.admit(0, "b");
    gates.admit(0, "c");

    AfterFirstWrite<String> after = gates.firstWriteDone(0, "a", false, true);

    assertEquals(List.of("b", "c"), after.abandoned());
    assertNull(after.nextFirstWrite());
    assertEquals(List.of(), after.released());
  }

  @Test
  void onlyAPartitionsFirstWriteDecidesWhatFollows() {
    gates.admit(0, "a");
    gates.firstWriteDone(0, "a", true, false);
    assertEquals(Admission.SEND, gates.admit(0, "b"));

    AfterFirstWrite<String> after = gates.firstWriteDone(0, "b", false, false);

    assertEquals(List.of(), after.released());
    assertNull(after.nextFirstWrite());
    assertEquals(List.of(), after.abandoned());
    assertEquals(Admission.SEND, gates.admit(0, "c"));
  }
}
