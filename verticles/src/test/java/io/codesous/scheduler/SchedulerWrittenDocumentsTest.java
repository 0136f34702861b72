package io.codesous.scheduler;

import io.codesous.store.ScheduleStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The leader steps a schedule from the document it wrote last, without reading it again, and reads again only
 * what the API changed meanwhile; the steps record the same ticks either way.
 */
class SchedulerWrittenDocumentsTest extends InMemorySchedulerTest {

  static final int SCHEDULES = 10;

  ScheduleStore schedules;
  SimpleMeterRegistry registry;
  /** Every schedule whose document was read in a batch, and how often. */
  final Map<String, Integer> reads = new ConcurrentHashMap<>();

  @BeforeEach
  void putSchedulesAndLead() throws Exception {
    schedules = new ScheduleStore(kv, clock::get) {
      @Override
      public Future<Map<String, String>> documents(List<String> entries) {
        entries.forEach(entry -> reads.merge(entry, 1, Integer::sum));
        return super.documents(entries);
      }
    };
    registry = leadEverySecond("written", schedules, SCHEDULES);
  }

  @Test
  void theTicksAfterAScheduleWasWrittenByTheLeaderAreSteppedWithoutReadingIt() throws Exception {
    tickTo(registry, T + 1_000, SCHEDULES);
    reads.clear();

    tickTo(registry, T + 2_000, 2 * SCHEDULES);
    tickTo(registry, T + 3_000, 3 * SCHEDULES);

    assertEquals(Map.of(), reads);
    for (int i = 0; i < SCHEDULES; i++) {
      JsonObject doc = schedules.get("acme", "default", "s" + i).await(10, TimeUnit.SECONDS);
      assertEquals(3L, doc.getJsonObject("state").getJsonObject("counters").getLong("fired"), "s" + i);
    }
  }

  @Test
  void aScheduleChangedThroughTheApiIsReadAgainAndKeepsThatChange() throws Exception {
    tickTo(registry, T + 1_000, SCHEDULES);
    schedules.edit("acme", "default", "s3", doc -> doc.put("mark", "edited")).await(10, TimeUnit.SECONDS);
    reads.clear();

    tickTo(registry, T + 2_000, 2 * SCHEDULES);
    tickTo(registry, T + 3_000, 3 * SCHEDULES);

    assertEquals(Set.of(ScheduleStore.entry("acme", "default", "s3")), reads.keySet());
    JsonObject s3 = schedules.get("acme", "default", "s3").await(10, TimeUnit.SECONDS);
    assertEquals("edited", s3.getString("mark"));
    assertEquals(3L, s3.getJsonObject("state").getJsonObject("counters").getLong("fired"));
  }
}
