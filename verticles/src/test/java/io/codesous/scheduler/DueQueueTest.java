package io.codesous.scheduler;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DueQueueTest {

  @Test
  void onlyWhatIsDueIsTakenEarliestFirstAndItLeavesTheQueue() {
    DueQueue queue = new DueQueue();
    queue.put("c", 300L);
    queue.put("a", 100L);
    queue.put("b", 200L);
    assertEquals(List.of("a", "b"), queue.takeDue(250, 10));
    assertEquals(List.of(), queue.takeDue(250, 10));
    assertEquals(1, queue.size());
    assertEquals(List.of("c"), queue.takeDue(300, 10));
  }

  @Test
  void aMovedScheduleIsDueOnlyAtItsNewTimeAndARemovedOneNever() {
    DueQueue queue = new DueQueue();
    queue.put("moved", 100L);
    queue.put("moved", 500L);
    queue.put("removed", 100L);
    queue.put("removed", null);
    assertEquals(List.of(), queue.takeDue(400, 10));
    assertEquals(List.of("moved"), queue.takeDue(500, 10));
    assertEquals(0, queue.size());
  }

  @Test
  void keepingOnlySomeSchedulesTakesTheOthersOutAndLeavesTheKeptOnesDueAsTheyWere() {
    DueQueue queue = new DueQueue();
    queue.put("kept", 100L);
    queue.put("gone", 50L);
    queue.put("also-kept", 200L);
    queue.keepOnly(Set.of("kept", "also-kept", "never-queued"));
    assertEquals(2, queue.size());
    assertEquals(100L, queue.nextDueAtMs());
    assertEquals(List.of("kept", "also-kept"), queue.takeDue(1_000, 10));
  }

  @Test
  void aTakeStopsAtItsLimitAndLeavesTheRestDue() {
    DueQueue queue = new DueQueue();
    for (int i = 0; i < 5; i++) {
      queue.put("s" + i, (long) i);
    }
    assertEquals(List.of("s0", "s1"), queue.takeDue(10, 2));
    assertEquals(List.of("s2", "s3", "s4"), queue.takeDue(10, 10));
  }

  @Test
  void manyMovesOfOneScheduleLeaveOneEntry() {
    DueQueue queue = new DueQueue();
    for (long t = 0; t < 100_000; t++) {
      queue.put("busy", t);
    }
    assertEquals(1, queue.size());
    assertEquals(List.of("busy"), queue.takeDue(Long.MAX_VALUE, 10));
    assertEquals(List.of(), queue.takeDue(Long.MAX_VALUE, 10));
  }

  @Test
  void theNextDueTimeIsTheEarliestCurrentOneAndNoneWhenTheQueueIsEmpty() {
    DueQueue queue = new DueQueue();
    assertEquals(Long.MAX_VALUE, queue.nextDueAtMs());
    queue.put("moved", 100L);
    queue.put("later", 300L);
    queue.put("moved", 200L);
    assertEquals(200L, queue.nextDueAtMs());
    queue.put("moved", null);
    assertEquals(300L, queue.nextDueAtMs());
  }
}
