package io.codesous.scheduler;

import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.codeq.jvm.InJvmCodeQ;
import io.codesous.component.ComponentVerticle;
import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.codesous.store.FunctionStore;
import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.codesous.testsupport.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A change of leader, between two schedulers on clocks of their own: a deposed leader that does not know it yet
 * (its clock lags, so its lease still looks valid to it) finds the newer leader's epoch in the schedule and writes
 * and fires nothing; a leader that takes over publishes again the runs its predecessor recorded as inflight, but
 * only those whose markers still live (an expired marker stays in the document until the schedule's next step,
 * since the leader does not step for an expiry alone, and the run it stood for is over).
 */
class SchedulerFencingTest {

  static final long T = 1_000_000_000L;
  static final long HOUR = 3_600_000;
  static final long MARGIN = 30_000;
  static final long LEASE_MS = 10_000;
  Vertx vertx;
  InMemoryKvStore kv;
  InJvmCodeQ codeq;
  FunctionStore functions;
  final AtomicLong clockA = new AtomicLong(T);
  final AtomicLong clockB = new AtomicLong(T);

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    kv = new InMemoryKvStore(vertx);
    kv.start().await(10, TimeUnit.SECONDS);
    codeq = new InJvmCodeQ(vertx);
    codeq.start().await(10, TimeUnit.SECONDS);
    functions = new FunctionStore(kv, clockA::get);
    SchedulerFixture.publishReport(functions, "acme");
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** One lane, so a takeover's publishes and the ticks after it leave in the order they were made. */
  Scheduler scheduler(String name, AtomicLong clock) throws Exception {
    Scheduler scheduler = new Scheduler(vertx, new ScheduleStore(kv, clock::get), functions, codeq,
        new SchedulerOptions(10, 5_000, MARGIN, LEASE_MS, 60_000, SchedulerOptions.ELECTION_KV, "default",
            "code-sous-scheduler", 1),
        "fencing-" + name, clock::get, new SimpleMeterRegistry(), new KvLeaseElection(kv, name, LEASE_MS, clock::get));
    vertx.deployVerticle(new ComponentVerticle(scheduler)).await(10, TimeUnit.SECONDS);
    return scheduler;
  }

  @Test
  void aDeposedLeaderThatStillBelievesItLeadsWritesAndFiresNothing() throws Exception {
    Set<Long> published = ConcurrentHashMap.newKeySet();
    CodeQSubscription subscription = codeq.subscribe(new SubscribeOptions().setTopic(Topics.INVOKE)
        .setGroup("fencing"), message -> {
          InvocationRequest request = MessageCodec.decodeRequest(message.payload());
          published.add(request.trigger().source().getLong("scheduled_at_ms"));
          message.ack();
        }).await(10, TimeUnit.SECONDS);
    ScheduleStore schedules = new ScheduleStore(kv, clockA::get);
    schedules.put("acme", "default", "every-second", ScheduleSpec.parse(new JsonObject().put("function", "report")
        .put("ref", "prod").put("every", "1s").put("overlap", "allow")), new JsonObject(), 1_000)
        .await(10, TimeUnit.SECONDS);

    Scheduler a = scheduler("a", clockA);
    until(a::leads, "a leads");
    clockA.set(T + 1_000);
    until(() -> published.contains(T + 1_000), "a fires the tick at T+1s");

    // b's clock is past a's lease: b takes over with the next epoch and records the ticks up to its now
    clockB.set(T + 20_000);
    Scheduler b = scheduler("b", clockB);
    until(b::leads, "b leads");
    until(() -> doc(schedules).getLong(ScheduleStore.LEADER_EPOCH) == 2, "b writes the schedule");
    JsonObject afterB = doc(schedules);

    // on a's clock its lease is still good, so it steps the tick due at T+2s, and finds b's epoch there
    clockA.set(T + 2_000);
    // a would not ask the KV about its lease before T+5s on its clock: only the epoch in the schedule stops it
    until(() -> !a.leads(), "a stands down");
    until(() -> a.held() == 0, "a lets its schedules go");
    assertEquals(afterB, doc(schedules), "a deposed leader changes nothing");
    subscription.close().await(10, TimeUnit.SECONDS);
    // b recorded T+2s as missed (18 s late on its clock); only a, had it not been fenced, would have fired it
    assertFalse(published.contains(T + 2_000), "a fired a tick after b took over: " + published);
  }

  @Test
  void aNewLeaderPublishesAgainOnlyTheRunsWhoseMarkersStillLive() throws Exception {
    Map<String, Integer> published = new ConcurrentHashMap<>();
    CodeQSubscription subscription = codeq.subscribe(new SubscribeOptions().setTopic(Topics.INVOKE)
        .setGroup("takeover"), message -> {
          InvocationRequest request = MessageCodec.decodeRequest(message.payload());
          published.merge(request.trigger().source().getString("schedule") + "@"
              + request.trigger().source().getLong("scheduled_at_ms"), 1, Integer::sum);
          message.ack();
        }).await(10, TimeUnit.SECONDS);
    ScheduleStore schedules = new ScheduleStore(kv, clockA::get);
    ScheduleSpec hourly = ScheduleSpec.parse(new JsonObject().put("function", "report").put("ref", "prod")
        .put("every", "1h").put("overlap", "allow"));
    // runs of "short" time out after 1 s (a marker of 31 s), runs of "long" after 60 s (a marker of 90 s)
    schedules.put("acme", "default", "short", hourly, new JsonObject(), 1_000).await(10, TimeUnit.SECONDS);
    schedules.put("acme", "default", "long", hourly, new JsonObject(), 60_000).await(10, TimeUnit.SECONDS);
    long first = schedules.get("acme", "default", "short").await(10, TimeUnit.SECONDS)
        .getJsonObject("state").getLong("next_fire_at_ms");

    Scheduler a = scheduler("a", clockA);
    until(a::leads, "a leads");
    clockA.set(first);
    until(() -> published.containsKey("short@" + first) && published.containsKey("long@" + first),
        "a fires both schedules' first tick");

    // no result comes back; 40 s later, past a's lease, b takes over: short's marker has expired, long's lives
    clockB.set(first + 40_000);
    Scheduler b = scheduler("b", clockB);
    until(b::leads, "b leads");
    until(() -> published.getOrDefault("long@" + first, 0) == 2, "b publishes long's run again");
    // the next tick is published after everything b's takeover published
    clockB.set(first + HOUR);
    until(() -> published.containsKey("short@" + (first + HOUR)) && published.containsKey("long@" + (first + HOUR)),
        "b fires the next tick");
    subscription.close().await(10, TimeUnit.SECONDS);
    assertEquals(1, published.get("short@" + first), "a run whose marker expired was published again");
  }

  private static JsonObject doc(ScheduleStore schedules) {
    return schedules.get("acme", "default", "every-second").await();
  }
}
