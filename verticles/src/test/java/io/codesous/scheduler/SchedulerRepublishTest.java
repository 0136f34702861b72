package io.codesous.scheduler;

import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.codeq.TypedMessage;
import io.codesous.codeq.jvm.InJvmCodeQ;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.codesous.store.FunctionStore;
import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleState;
import io.codesous.store.ScheduleStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run the queue refuses is not dropped: the scheduler publishes it again while its inflight marker lives, and
 * counts it lost only once the marker has expired.
 */
class SchedulerRepublishTest extends InMemorySchedulerTest {

  /** A queue that refuses the first {@code refusals} invocation requests, as a full topic does. */
  static final class RefusingCodeQ extends InJvmCodeQ {
    final AtomicInteger refusals;

    RefusingCodeQ(Vertx vertx, int refusals) {
      super(vertx);
      this.refusals = new AtomicInteger(refusals);
    }

    @Override
    public Future<Void> publish(String topic, String key, TypedMessage message) {
      if (topic.equals(Topics.INVOKE) && refusals.getAndDecrement() > 0) {
        return Future.failedFuture(new IllegalStateException("topic " + topic + " is full"));
      }
      return super.publish(topic, key, message);
    }
  }

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final List<Long> delivered = new CopyOnWriteArrayList<>();
  final List<InvocationRequest> requests = new CopyOnWriteArrayList<>();
  ScheduleStore schedules;

  void schedule(RefusingCodeQ codeq) throws Exception {
    schedule(codeq, 1, 2);
  }

  /** {@code count} schedules every hour ({@code hourly}, or {@code s0}, {@code s1}, … when more) on {@code lanes}. */
  void schedule(RefusingCodeQ codeq, int count, int lanes) throws Exception {
    codeq.start().await(10, TimeUnit.SECONDS);
    CodeQSubscription subscription = codeq.subscribe(new SubscribeOptions().setTopic(Topics.INVOKE)
        .setGroup("republish"), message -> {
          InvocationRequest request = MessageCodec.decodeRequest(message.payload());
          requests.add(request);
          delivered.add(request.trigger().source().getLong("scheduled_at_ms"));
          message.ack();
        }).await(10, TimeUnit.SECONDS);
    FunctionStore functions = new FunctionStore(kv, clock::get);
    SchedulerFixture.publishReport(functions, "acme");
    schedules = new ScheduleStore(kv, clock::get);
    ScheduleSpec hourly = ScheduleSpec.parse(new JsonObject().put("function", "report").put("ref", "prod")
        .put("every", "1h").put("overlap", "skip"));
    List<Future<JsonObject>> puts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      puts.add(schedules.put("acme", "default", count == 1 ? "hourly" : "s" + i, hourly, new JsonObject(), 1_000));
    }
    Future.all(puts).await(60, TimeUnit.SECONDS);
    Scheduler scheduler = deployScheduler("republish", options().withLanes(lanes), schedules, functions, codeq,
        registry);
    until(() -> scheduler.held() == count, "the scheduler leads and holds every schedule");
  }

  @Test
  void aRunTheQueueRefusedIsPublishedAgainUntilItIsTaken() throws Exception {
    schedule(new RefusingCodeQ(vertx, 3));
    long tick = (T / 3_600_000 + 1) * 3_600_000;
    clock.set(tick);
    until(() -> delivered.contains(tick), "the tick is published once the queue takes it");
    assertEquals(List.of(tick), delivered);
    assertEquals(3, registry.counter("cs.scheduler.publish.refused").count());
    assertEquals(0, registry.counter("cs.scheduler.runs.lost").count());
    // published again from what the waiting run kept of the schedule's document, not from the document itself
    InvocationRequest again = requests.get(0);
    assertEquals("acme", again.tenant());
    assertEquals("hourly", again.trigger().source().getString("schedule"));
    assertEquals("hourly", again.event().getJsonObject("schedule").getString("name"));
    assertEquals("cs-scheduler/default/hourly", again.principal().getString("subject"));
  }

  @Test
  void aRunStillRefusedWhenItsMarkerExpiresIsCountedLost() throws Exception {
    schedule(new RefusingCodeQ(vertx, Integer.MAX_VALUE));
    long tick = (T / 3_600_000 + 1) * 3_600_000;
    clock.set(tick);
    until(() -> registry.counter("cs.scheduler.publish.refused").count() >= 2, "the run is tried again");
    assertEquals(0, registry.counter("cs.scheduler.runs.lost").count(), "not lost while its marker lives");
    // past the version's timeout and the marker's margin: the next attempt gives up
    clock.set(tick + 1_000 + 30_000);
    until(() -> registry.counter("cs.scheduler.runs.lost").count() == 1, "the run is counted lost");
    assertEquals(List.of(), delivered);
    until(() -> lostCount("hourly") == 1, "the schedule counts the lost run");
    JsonObject doc = schedules.get("acme", "default", "hourly").await(10, TimeUnit.SECONDS);
    JsonObject newest = ScheduleState.ticks(doc).get(0);
    assertEquals(tick, newest.getLong("scheduled_at_ms"));
    assertEquals("lost", newest.getString("outcome"), "the tick no longer reads fired: " + newest);
    assertEquals(ScheduleState.activationId("acme", "default", "hourly", tick), newest.getString("activation_id"));
    assertEquals(1, doc.getJsonObject("state").getJsonObject("counters").getLong("fired"));
  }

  @Test
  void aLostRunIsRecordedAndTheSkipSchedulesNextTickStillFires() throws Exception {
    RefusingCodeQ codeq = new RefusingCodeQ(vertx, Integer.MAX_VALUE);
    schedule(codeq);
    long tick = (T / 3_600_000 + 1) * 3_600_000;
    clock.set(tick);
    until(() -> registry.counter("cs.scheduler.publish.refused").count() >= 1, "the run is refused");
    clock.set(tick + 1_000 + 30_000);
    until(() -> registry.counter("cs.scheduler.runs.lost").count() == 1, "the run is given up");
    // the next tick comes before the lost run has waited a round: its step records it (or the round did)
    codeq.refusals.set(0);
    clock.set(tick + 3_600_000);
    until(() -> delivered.contains(tick + 3_600_000), "the next tick runs");
    JsonObject doc = schedules.get("acme", "default", "hourly").await(10, TimeUnit.SECONDS);
    List<JsonObject> ticks = ScheduleState.ticks(doc);
    assertEquals(List.of("fired", "lost"), ticks.stream().map(t -> t.getString("outcome")).toList(),
        "newest first: " + ticks);
    assertEquals(1, lostCount("hourly"));
    assertEquals(0, doc.getJsonObject("state").getJsonObject("counters").getLong("skipped_overlap"));
  }

  long lostCount(String name) {
    return await(schedules.get("acme", "default", name)).getJsonObject("state")
        .getJsonObject("counters").getLong("lost", 0L);
  }

  @Test
  void beyondTheRefusedRunsThatMayWaitARefusedRunIsGivenUpAtOnce() throws Exception {
    int count = RefusedRuns.WAITING_LIMIT + 500;
    schedule(new RefusingCodeQ(vertx, Integer.MAX_VALUE), count, 1);
    clock.set((T / 3_600_000 + 1) * 3_600_000);
    until(() -> registry.counter("cs.scheduler.publish.refused").count() >= count, "every run is refused");
    // no marker has expired (the clock stands at the tick): only the bound can have given runs up
    until(() -> registry.counter("cs.scheduler.runs.lost").count() > 0, "runs beyond the bound are given up");
    assertTrue(registry.counter("cs.scheduler.runs.lost").count() <= 500 + 1_000,
        "no more than the runs beyond the bound (and a few whose retry was due meanwhile) are given up: "
            + registry.counter("cs.scheduler.runs.lost").count());
    assertEquals(List.of(), delivered);
    // a run given up while its marker lives frees its schedule at once, rather than when the marker expires
    until(() -> await(schedules.list("acme", "default", count + 10)).stream()
        .anyMatch(doc -> doc.getJsonObject("state").getJsonObject("counters").getLong("lost", 0L) == 1
            && ScheduleState.inflight(doc.getJsonObject("state")).isEmpty()
            && "lost".equals(ScheduleState.ticks(doc).get(0).getString("outcome"))),
        "a schedule whose run was given up records it lost and holds no marker for it");
  }
}
