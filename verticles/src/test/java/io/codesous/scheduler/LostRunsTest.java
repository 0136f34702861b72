package io.codesous.scheduler;

import io.codesous.store.ScheduleState.Fire;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LostRunsTest {

  static Fire fire(long scheduledAtMs) {
    return new Fire("run-" + scheduledAtMs, scheduledAtMs, scheduledAtMs + 5, "fired");
  }

  @Test
  void aLostRunWaitsForItsSchedulesStepAndNoLongerOnceThatStepRecordedIt() {
    LostRuns lost = new LostRuns(10);
    lost.add("acme:default:a", fire(1_000));
    lost.add("acme:default:a", fire(2_000));

    assertEquals(List.of(fire(1_000), fire(2_000)), lost.of("acme:default:a"));
    assertEquals(List.of(), lost.of("acme:default:b"));

    // a run given up while the step was under way is not among those it recorded, and still waits
    lost.recorded("acme:default:a", List.of(fire(1_000)));
    assertEquals(List.of(fire(2_000)), lost.of("acme:default:a"));
    lost.recorded("acme:default:a", List.of(fire(2_000)));
    assertEquals(List.of(), lost.of("acme:default:a"));
    assertEquals(0, lost.size());
  }

  @Test
  void aRoundStepsOnlyTheSchedulesWhoseLostRunsWaitedSinceBeforeItBegan() {
    LostRuns lost = new LostRuns(10);
    lost.add("acme:default:early", fire(1_000));
    assertEquals(List.of(), lost.endRound(), "given up during the round that ends: its own step may come first");
    lost.add("acme:default:late", fire(1_000));

    assertEquals(List.of("acme:default:early"), lost.endRound());
    // the round's step recorded it; the run given up during that round is due at the end of the next
    lost.recorded("acme:default:early", lost.of("acme:default:early"));
    assertEquals(List.of("acme:default:late"), lost.endRound());
  }

  @Test
  void beyondItsBoundALostRunIsRefusedAndTheOthersStay() {
    LostRuns lost = new LostRuns(2);
    assertTrue(lost.add("acme:default:a", fire(1_000)));
    assertTrue(lost.add("acme:default:b", fire(1_000)));
    assertFalse(lost.add("acme:default:c", fire(1_000)));
    assertEquals(2, lost.size());
    assertEquals(List.of(), lost.of("acme:default:c"));
  }

  @Test
  void aScheduleThatIsGoneTakesItsLostRunsWithIt() {
    LostRuns lost = new LostRuns(10);
    lost.add("acme:default:a", fire(1_000));
    lost.add("acme:default:b", fire(1_000));
    lost.add("acme:default:b", fire(2_000));
    lost.add("acme:default:c", fire(1_000));

    lost.forget("acme:default:a");
    assertEquals(3, lost.size());
    lost.keepOnly(Set.of("acme:default:c"));
    assertEquals(1, lost.size());
    assertEquals(List.of(fire(1_000)), lost.of("acme:default:c"));
    lost.clear();
    assertEquals(0, lost.size());
    assertEquals(List.of(), lost.endRound());
  }
}
