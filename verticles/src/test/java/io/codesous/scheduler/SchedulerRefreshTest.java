package io.codesous.scheduler;

import io.codesous.spec.kv.KvKeys;
import io.codesous.store.ScheduleStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.codesous.testsupport.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The leader's periodic refresh re-reads every schedule for writes nobody announced: a schedule changed or deleted
 * that way is taken as it is now, and the schedules it wrote itself keep ticking once per tick as before.
 */
class SchedulerRefreshTest extends InMemorySchedulerTest {

  static final int SCHEDULES = 40;
  /** Shorter than a tick, so each move of the clock past a tick's half makes the next poll a refresh. */
  static final long REFRESH_MS = 500;

  ScheduleStore schedules;
  SimpleMeterRegistry registry;

  @BeforeEach
  void leadWithAShortRefresh() throws Exception {
    schedules = new ScheduleStore(kv, clock::get);
    registry = leadEverySecond("refresh", schedules, SCHEDULES, options().withRefreshMs(REFRESH_MS).withLanes(2));
  }

  @Test
  void aScheduleDeletedUnannouncedLeavesTheLeaderAtTheRefreshAndTheOthersTickOncePerTick() throws Exception {
    tickTo(registry, T + 1_000, SCHEDULES);
    kv.delete(KvKeys.schedule("acme", "default", "s3")).await(10, TimeUnit.SECONDS);

    clock.set(T + 1_500);
    until(() -> leader.held() == SCHEDULES - 1, "the refresh lets the deleted schedule go");
    tickTo(registry, T + 2_000, 2 * SCHEDULES - 1);
    clock.set(T + 2_600);
    tickTo(registry, T + 3_000, 3 * SCHEDULES - 2);

    for (int i = 0; i < SCHEDULES; i++) {
      if (i != 3) {
        assertEquals(3L, fired("s" + i), "s" + i + " fired once per tick");
      }
    }
  }

  @Test
  void aSchedulePausedUnannouncedIsNoLongerDueAfterTheRefresh() throws Exception {
    tickTo(registry, T + 1_000, SCHEDULES);
    schedules.change("acme", "default", "s5", false, doc -> {
      doc.getJsonObject("state").putNull("next_fire_at_ms");
      return doc;
    }).await(10, TimeUnit.SECONDS);

    clock.set(T + 1_500);
    until(() -> leader.held() == SCHEDULES - 1, "the refresh finds s5 never due again");
    tickTo(registry, T + 2_000, 2 * SCHEDULES - 1);

    assertEquals(1L, fired("s5"), "s5 fired only before its pause");
    assertEquals(2L, fired("s4"));
  }

  private long fired(String name) throws Exception {
    JsonObject doc = schedules.get("acme", "default", name).await(10, TimeUnit.SECONDS);
    return doc.getJsonObject("state").getJsonObject("counters").getLong("fired");
  }
}
