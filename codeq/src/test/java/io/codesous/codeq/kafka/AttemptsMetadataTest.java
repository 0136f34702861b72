package io.codesous.codeq.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttemptsMetadataTest {

  private static String write(long committed, long[][] runs) {
    AttemptsMetadata.Writer writer = new AttemptsMetadata.Writer(committed);
    for (long[] run : runs) {
      writer.add(run[0], run[1], (int) run[2]);
    }
    return writer.finish();
  }

  @Test
  void runsAreRelativeToTheCommittedOffsetAndNeighboursWithOneCountMerge() {
    String metadata = write(100, new long[][] {{100, 100, 2}, {101, 150, 1}, {151, 151, 1},
        {153, 153, 3}});

    assertEquals("cq1;0=2,1-51=1,53=3", metadata);
  }

  @Test
  void decodingGivesTheCountPerOffset() {
    AttemptsMetadata.Runs runs = AttemptsMetadata.decode(100, "cq1;0=2,1-51=1,53=3");

    assertEquals(2, runs.count(100));
    assertEquals(1, runs.count(101));
    assertEquals(1, runs.count(151));
    assertEquals(0, runs.count(152));
    assertEquals(3, runs.count(153));
    assertEquals(0, runs.count(99));
  }

  @Test
  void nothingSeenWritesNothing() {
    assertEquals("", write(7, new long[][] {{7, 9, 0}}));
    assertTrue(AttemptsMetadata.decode(7, "").isEmpty());
  }

  @Test
  void theTextStaysWithinItsBudgetKeepingTheLowestOffsets() {
    AttemptsMetadata.Writer writer = new AttemptsMetadata.Writer(0);
    for (long offset = 0; offset < 10_000; offset += 2) {
      writer.add(offset, offset, 1 + (int) (offset % 4));
    }

    String metadata = writer.finish();

    assertTrue(metadata.length() <= AttemptsMetadata.MAX_LENGTH, () -> "" + metadata.length());
    AttemptsMetadata.Runs runs = AttemptsMetadata.decode(0, metadata);
    assertEquals(1, runs.count(0));
    assertEquals(3, runs.count(2));
    assertEquals(0, runs.count(9_998));
  }

  @Test
  void metadataInAnotherShapeMeansNothingKnown() {
    for (String foreign : new String[] {null, "written by a tool", "cq2;0=1", "cq1;x=1",
        "cq1;0=0", "cq1;3=1,2=1", "cq1;-1=2", "cq1;2-1=1"}) {
      assertTrue(AttemptsMetadata.decode(10, foreign).isEmpty(), () -> "" + foreign);
    }
  }
}
