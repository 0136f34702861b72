package io.codesous.scheduler;

import io.codesous.codeq.jvm.InJvmCodeQ;
import io.codesous.store.FunctionStore;
import io.codesous.store.ScheduleStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.codesous.testsupport.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A document written by someone else between two ticks, without the announcement the API makes, is stepped from
 * what it holds then: the other write stays, and the schedule goes on firing.
 */
class SchedulerUnannouncedWriteTest extends InMemorySchedulerTest {

  static final int SCHEDULES = 10;

  InJvmCodeQ codeq;
  FunctionStore functions;
  ScheduleStore schedules;
  SimpleMeterRegistry registry;

  @BeforeEach
  void putSchedulesAndLead() throws Exception {
    codeq = new InJvmCodeQ(vertx);
    codeq.start().await(10, TimeUnit.SECONDS);
    functions = new FunctionStore(kv, clock::get);
    SchedulerFixture.publishReport(functions, "acme");
    schedules = new ScheduleStore(kv, clock::get);
    SchedulerFixture.putEverySecond(schedules, "acme", SCHEDULES);
    registry = new SimpleMeterRegistry();
    Scheduler scheduler = deployScheduler("unannounced", options(), schedules, functions, codeq, registry);
    until(() -> scheduler.held() == SCHEDULES, "the leader holds every schedule");
  }

  @Test
  void aDocumentWrittenUnannouncedBetweenTicksKeepsThatWriteAndStillFires() throws Exception {
    tickTo(T + 1_000, SCHEDULES);
    schedules.change("acme", "default", "s3", false, doc -> doc.put("mark", "written meanwhile"))
        .await(10, TimeUnit.SECONDS);

    tickTo(T + 2_000, 2 * SCHEDULES);
    tickTo(T + 3_000, 3 * SCHEDULES);

    JsonObject s3 = schedules.get("acme", "default", "s3").await(10, TimeUnit.SECONDS);
    assertEquals("written meanwhile", s3.getString("mark"));
    assertEquals(3L, s3.getJsonObject("state").getJsonObject("counters").getLong("fired"));
  }

  private void tickTo(long at, int firedInAll) {
    clock.set(at);
    until(() -> registry.counter("cs.scheduler.ticks", "outcome", "fired").count() == firedInAll,
        firedInAll + " ticks fired by " + at);
  }
}
