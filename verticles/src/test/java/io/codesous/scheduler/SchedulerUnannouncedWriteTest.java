package io.codesous.scheduler;

import io.codesous.store.ScheduleStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A document written by someone else between two ticks, without the announcement the API makes, is stepped from
 * what it holds then: the other write stays, and the schedule goes on firing.
 */
class SchedulerUnannouncedWriteTest extends InMemorySchedulerTest {

  static final int SCHEDULES = 10;

  ScheduleStore schedules;
  SimpleMeterRegistry registry;

  @BeforeEach
  void putSchedulesAndLead() throws Exception {
    schedules = new ScheduleStore(kv, clock::get);
    registry = leadEverySecond("unannounced", schedules, SCHEDULES);
  }

  @Test
  void aDocumentWrittenUnannouncedBetweenTicksKeepsThatWriteAndStillFires() throws Exception {
    tickTo(registry, T + 1_000, SCHEDULES);
    schedules.change("acme", "default", "s3", false, doc -> doc.put("mark", "written meanwhile"))
        .await(10, TimeUnit.SECONDS);

    tickTo(registry, T + 2_000, 2 * SCHEDULES);
    tickTo(registry, T + 3_000, 3 * SCHEDULES);

    JsonObject s3 = schedules.get("acme", "default", "s3").await(10, TimeUnit.SECONDS);
    assertEquals("written meanwhile", s3.getString("mark"));
    assertEquals(3L, s3.getJsonObject("state").getJsonObject("counters").getLong("fired"));
  }
}
