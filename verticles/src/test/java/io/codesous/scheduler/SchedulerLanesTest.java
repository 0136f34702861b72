package io.codesous.scheduler;

import io.codesous.codeq.CodeQ;
import io.codesous.codeq.TypedMessage;
import io.codesous.codeq.jvm.InJvmCodeQ;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.store.FunctionStore;
import io.codesous.store.ScheduleStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.codesous.testsupport.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The leader's schedules are shared out over its lanes: each schedule is stepped by one lane, each lane on an event
 * loop of its own, and the runs of a lane name its reply route, so their results come back to the loop that holds
 * their schedule.
 */
class SchedulerLanesTest extends InMemorySchedulerTest {

  static final int SCHEDULES = 200;
  static final int TICKS = 3;

  @Test
  void eachScheduleIsSteppedByOneLaneAndTheLanesStepOnEventLoopsOfTheirOwn() throws Exception {
    InJvmCodeQ queue = new InJvmCodeQ(vertx);
    queue.start().await(10, TimeUnit.SECONDS);
    Map<String, Set<String>> routesBySchedule = new ConcurrentHashMap<>();
    Map<String, Set<String>> threadsByRoute = new ConcurrentHashMap<>();
    CodeQ watched = (CodeQ) Proxy.newProxyInstance(CodeQ.class.getClassLoader(), new Class<?>[] {CodeQ.class},
        (proxy, method, args) -> {
          if (method.getName().equals("publish") && args[2] instanceof TypedMessage message
              && message.value() instanceof InvocationRequest request) {
            String schedule = request.trigger().source().getString("schedule");
            routesBySchedule.computeIfAbsent(schedule, s -> ConcurrentHashMap.newKeySet()).add(request.replyTo());
            threadsByRoute.computeIfAbsent(request.replyTo(), r -> ConcurrentHashMap.newKeySet())
                .add(Thread.currentThread().getName());
          }
          try {
            return method.invoke(queue, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    FunctionStore functions = new FunctionStore(kv, clock::get);
    SchedulerFixture.publishReport(functions, "acme");
    ScheduleStore schedules = new ScheduleStore(kv, clock::get);
    SchedulerFixture.putEverySecond(schedules, "acme", SCHEDULES);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Scheduler scheduler = deployScheduler("lanes", options().withLanes(2), schedules, functions, watched,
        registry);
    until(() -> scheduler.held() == SCHEDULES, "the leader holds every schedule");

    for (int tick = 1; tick <= TICKS; tick++) {
      clock.set(T + tick * 1_000L);
      long fired = (long) tick * SCHEDULES;
      until(() -> registry.counter("cs.scheduler.ticks", "outcome", "fired").count() == fired,
          "every schedule fires its tick " + tick);
    }
    assertEquals(SCHEDULES, routesBySchedule.size());
    routesBySchedule.forEach((schedule, routes) -> assertEquals(1, routes.size(), schedule + " went by " + routes));
    assertEquals(Set.of("lanes-0", "lanes-1"), threadsByRoute.keySet(), "both lanes step schedules");
    threadsByRoute.forEach((route, threads) -> assertEquals(1, threads.size(), route + " ran on " + threads));
    assertNotEquals(threadsByRoute.get("lanes-0"), threadsByRoute.get("lanes-1"),
        "the lanes step on different event loops");
  }

  @Test
  void aRegistryEntryWhoseDocumentIsGoneIsLeftOutAndTheOthersAreLoadedAndFire() throws Exception {
    InJvmCodeQ queue = new InJvmCodeQ(vertx);
    queue.start().await(10, TimeUnit.SECONDS);
    FunctionStore functions = new FunctionStore(kv, clock::get);
    SchedulerFixture.publishReport(functions, "acme");
    ScheduleStore schedules = new ScheduleStore(kv, clock::get);
    SchedulerFixture.putEverySecond(schedules, "acme", SCHEDULES);
    // as if deleted between the leader's read of the registry and its read of the documents
    for (int i = 0; i < 10; i++) {
      kv.indexAdd(KvKeys.scheduleRegistry(), ScheduleStore.entry("acme", "default", "gone-" + i), 0)
          .await(10, TimeUnit.SECONDS);
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Scheduler scheduler = deployScheduler("lanes", options().withLanes(2), schedules, functions, queue,
        registry);
    until(() -> scheduler.held() == SCHEDULES, "the leader holds every schedule that has a document");

    clock.set(T + 1_000);
    until(() -> registry.counter("cs.scheduler.ticks", "outcome", "fired").count() == SCHEDULES,
        "every schedule fires its tick");
  }
}
