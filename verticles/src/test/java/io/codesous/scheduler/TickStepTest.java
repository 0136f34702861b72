package io.codesous.scheduler;

import io.codesous.store.ScheduleDocument;
import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleState;
import io.codesous.store.ScheduleState.Fire;
import io.codesous.store.ScheduleStore;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A step records the lost runs waiting for its schedule in the write that decides its due ticks. */
class TickStepTest {

  static final String ENTRY = "acme:default:nightly";
  static final long T0 = 1_700_000_000_000L;
  static final SchedulerOptions OPTIONS = new SchedulerOptions(10, 5_000, 30_000, 10_000);

  static ScheduleSpec every30s(String overlap) {
    return ScheduleSpec.parse(new JsonObject().put("function", "report").put("ref", "prod").put("every", "30s")
        .put("overlap", overlap));
  }

  /** A stored schedule document whose runs time out after ten minutes, stepped once under epoch 1. */
  static JsonObject doc(ScheduleSpec spec) {
    JsonObject state = ScheduleState.empty();
    ScheduleState.schedule(state, spec, T0);
    return ScheduleStore.withSpec(new JsonObject().put("tenant", "acme").put("namespace", "default")
        .put("name", "nightly").put("timeout_ms", 600_000).put("state", state), spec);
  }

  static List<String> outcomes(JsonObject doc) {
    return ScheduleState.ticks(doc).stream().map(tick -> tick.getString("outcome")).toList();
  }

  static long counter(JsonObject doc, String name) {
    return doc.getJsonObject("state").getJsonObject("counters").getLong(name);
  }

  /** A schedule's document once its first tick fired, when that was, and the tick's run. */
  record Fired(JsonObject doc, long first, Fire run) {
  }

  static Fired firstTick(String overlap) {
    JsonObject doc = doc(every30s(overlap));
    long first = doc.getJsonObject("state").getLong("next_fire_at_ms");
    TickStep firing = new TickStep(ENTRY, first, 1, List.of(), new SpecCache(), OPTIONS);
    ScheduleDocument fired = ScheduleDocument.parse(doc.encode());
    assertTrue(firing.apply(fired));
    return new Fired(fired.toJson(), first, firing.fires().get(0));
  }

  @Test
  void aSkipSchedulesNextTickFiresWhenTheRunBeforeItWasLostAndBothAreInOneWrite() {
    Fired fired = firstTick("skip");
    long first = fired.first();

    // the run was given up; its marker still stands when the next tick is due
    TickStep next = new TickStep(ENTRY, first + 30_000, 1, List.of(fired.run()), new SpecCache(), OPTIONS);
    ScheduleDocument stepped = ScheduleDocument.parse(fired.doc().encode());
    assertTrue(next.apply(stepped));
    JsonObject written = stepped.toJson();

    assertEquals(List.of("fired", "lost"), outcomes(written), "newest first: the new tick fired, the lost run lost");
    assertEquals(1, counter(written, "lost"));
    assertEquals(0, counter(written, "skipped_overlap"), "the lost run's marker did not make the tick skip");
    assertEquals(1, next.fires().size());
    assertEquals(first + 30_000, next.fires().get(0).scheduledAtMs());
    assertEquals(0, next.countersBefore().lost(), "the counters before the step, for the meters");
  }

  @Test
  void aStepForLostRunsAloneRecordsThemWithoutATick() {
    Fired fired = firstTick("buffer_one");
    long first = fired.first();
    Fire refused = fired.run();

    TickStep alone = new TickStep(ENTRY, first + 1_000, 1, List.of(refused), new SpecCache(), OPTIONS);
    ScheduleDocument stepped = ScheduleDocument.parse(fired.doc().encode());
    assertTrue(alone.apply(stepped));
    JsonObject written = stepped.toJson();

    assertEquals(List.of("lost"), outcomes(written));
    assertEquals(first + 30_000, written.getJsonObject("state").getLong("next_fire_at_ms"), "no tick was decided");
    assertTrue(ScheduleState.inflight(written.getJsonObject("state")).isEmpty());
    assertTrue(alone.fires().isEmpty());

    TickStep again = new TickStep(ENTRY, first + 2_000, 1, List.of(refused), new SpecCache(), OPTIONS);
    ScheduleDocument unchanged = ScheduleDocument.parse(written.encode());
    assertFalse(again.apply(unchanged), "a lost run recorded once leaves nothing to write");
    assertEquals(written, unchanged.toJson());
  }

  @Test
  void aDocumentANewerLeaderWroteIsLeftAloneLostRunsAndAll() {
    JsonObject doc = doc(every30s("skip")).put(ScheduleStore.LEADER_EPOCH, 2L);
    long first = doc.getJsonObject("state").getLong("next_fire_at_ms");
    Fire lost = new Fire("run", first - 30_000, first - 30_000, "fired");
    TickStep step = new TickStep(ENTRY, first, 1, List.of(lost), new SpecCache(), OPTIONS);
    assertFalse(step.apply(ScheduleDocument.parse(doc.encode())));
    assertTrue(step.newerLeader());
  }
}
