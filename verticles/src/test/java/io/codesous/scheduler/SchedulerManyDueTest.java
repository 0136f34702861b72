package io.codesous.scheduler;

import io.codesous.codeq.jvm.InJvmCodeQ;
import io.codesous.store.FunctionStore;
import io.codesous.store.ScheduleStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.codesous.testsupport.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ten thousand schedules due in one poll on the in-memory KV, whose steps complete before they return: every one
 * fires its tick. Stepped one call inside the other, as each completed step once started the next, they did not
 * all fire.
 */
class SchedulerManyDueTest extends InMemorySchedulerTest {

  static final int SCHEDULES = 10_000;

  @Test
  void tenThousandSchedulesDueInOnePollAllFireTheirTick() throws Exception {
    InJvmCodeQ codeq = new InJvmCodeQ(vertx);
    codeq.start().await(10, TimeUnit.SECONDS);
    FunctionStore functions = new FunctionStore(kv, clock::get);
    SchedulerFixture.publishReport(functions, "acme");
    ScheduleStore schedules = new ScheduleStore(kv, clock::get);
    SchedulerFixture.putEverySecond(schedules, "acme", SCHEDULES);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Scheduler scheduler = deployScheduler("many-due", options(), schedules, functions, codeq,
        registry);
    until(() -> scheduler.held() == SCHEDULES, "the leader holds every schedule");

    clock.set(T + 1_000);
    until(() -> registry.counter("cs.scheduler.ticks", "outcome", "fired").count() == SCHEDULES,
        "every schedule fires its tick at T+1s");
    assertEquals(0, registry.counter("cs.scheduler.ticks", "outcome", "missed").count());
    for (int i = 0; i < SCHEDULES; i += 997) {
      JsonObject counters = schedules.get("acme", "default", "s" + i).await(10, TimeUnit.SECONDS)
          .getJsonObject("state").getJsonObject("counters");
      assertEquals(1L, counters.getLong("fired"), "s" + i);
    }
  }
}
