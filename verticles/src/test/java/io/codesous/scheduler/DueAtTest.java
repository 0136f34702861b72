package io.codesous.scheduler;

import io.codesous.store.LiveState;
import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleState;
import io.codesous.store.ScheduleStore;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the leader steps a schedule again ({@link LiveState#dueAt}), and what the API shows of the markers it leaves
 * for that step: a step for a marker's expiry alone is taken only where it releases a buffered tick.
 */
class DueAtTest {

  static final long T0 = 1_700_000_000_000L;
  static final long ON_TIME = 5_000;
  static final long MARGIN = 5_000;
  /** Runs that time out after 10 s: a marker lives 15 s, half the interval. */
  static final long SHORT_RUNS = 10_000;
  /** Runs that time out after 40 s: a marker lives 45 s, past the next tick and not the one after. */
  static final long LONG_RUNS = 40_000;

  static ScheduleSpec every30s(String overlap) {
    return ScheduleSpec.parse(new JsonObject().put("function", "report").put("every", "30s").put("overlap", overlap));
  }

  static JsonObject doc(ScheduleSpec spec, long timeoutMs) {
    JsonObject state = ScheduleState.empty();
    ScheduleState.schedule(state, spec, T0);
    return new JsonObject().put("tenant", "acme").put("namespace", "default").put("name", "nightly")
        .put("spec", spec.toJson()).put("timeout_ms", timeoutMs).put("state", state);
  }

  /** Fires the first tick, whose result never comes, and returns when it fired. */
  static long fireFirstTick(JsonObject doc, ScheduleSpec spec) {
    long first = doc.getJsonObject("state").getLong("next_fire_at_ms");
    assertEquals(1, ScheduleState.due(doc, spec, first, ON_TIME, MARGIN).size());
    return first;
  }

  @Test
  void aMarkerWithNothingBufferedBehindItDoesNotBringTheNextStepForward() {
    for (String overlap : new String[] {"allow", "skip"}) {
      ScheduleSpec spec = every30s(overlap);
      JsonObject doc = doc(spec, SHORT_RUNS);
      long first = fireFirstTick(doc, spec);
      JsonObject state = doc.getJsonObject("state");
      // the marker expires 15 s after the tick, before the next one (30 s): the next step is still that tick
      assertEquals(first + 30_000, LiveState.of(state).dueAt(first));
      assertEquals(1, ScheduleState.inflight(state).size());
    }
  }

  @Test
  void aMarkerThatABufferedTickWaitsForBringsTheStepToItsExpiry() {
    ScheduleSpec spec = every30s("buffer_one");
    JsonObject doc = doc(spec, LONG_RUNS);
    long first = fireFirstTick(doc, spec);
    // the second tick finds the first run inflight and waits for it
    assertEquals(0, ScheduleState.due(doc, spec, first + 30_000, ON_TIME, MARGIN).size());
    JsonObject state = doc.getJsonObject("state");
    assertEquals(1, state.getJsonArray("buffered").size());
    long expiry = first + LONG_RUNS + MARGIN;
    assertEquals(expiry, LiveState.of(state).dueAt(first + 30_000));
    // that step releases the buffered tick
    assertEquals(1, ScheduleState.expired(doc, expiry, MARGIN).size());
    assertTrue(doc.getJsonObject("state").getJsonArray("buffered").isEmpty());
  }

  @Test
  void aPausedScheduleWithAMarkerLeftIsNeverDueAndAManualTriggerIsDueAtOnce() {
    ScheduleSpec spec = every30s("skip");
    JsonObject doc = doc(spec, SHORT_RUNS);
    long first = fireFirstTick(doc, spec);
    JsonObject state = doc.getJsonObject("state");
    state.putNull("next_fire_at_ms");
    assertNull(LiveState.of(state).dueAt(first));
    state.getJsonArray("triggers").add(first + 5);
    assertEquals(first + 5, LiveState.of(state).dueAt(first + 5));
  }

  @Test
  void theApiShowsAMarkerAsInflightOnlyUntilItExpires() {
    ScheduleSpec spec = every30s("skip");
    JsonObject doc = doc(spec, SHORT_RUNS);
    long first = fireFirstTick(doc, spec);
    long expiry = first + SHORT_RUNS + MARGIN;
    assertEquals(1, ScheduleStore.view(doc, expiry - 1).getJsonArray("inflight").size());
    assertTrue(ScheduleStore.view(doc, expiry).getJsonArray("inflight").isEmpty());
    // the document keeps it until the schedule's next step drops it
    assertEquals(1, ScheduleState.inflight(doc.getJsonObject("state")).size());
  }
}
