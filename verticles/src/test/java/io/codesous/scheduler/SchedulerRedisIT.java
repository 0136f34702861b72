package io.codesous.scheduler;

import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.codeq.jvm.InJvmCodeQ;
import io.codesous.component.ComponentVerticle;
import io.codesous.kv.redis.RedisKvOptions;
import io.codesous.kv.redis.RedisKvStore;
import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.codesous.spec.model.Manifest;
import io.codesous.store.FunctionStore;
import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleState;
import io.codesous.store.ScheduleStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schedules on the shared Redis: the store's compare-and-set keeps every concurrent change, and two schedulers
 * walking the same schedules on one clock publish each tick exactly once.
 *
 * <p>The lease, the registry of schedules and the announced changes are deployment-wide keys, so each test claims a
 * Redis database of its own ({@link RedisDatabases}): schedules and leases other runs leave on the same Redis
 * cannot take the lead from its schedulers or be walked by them.
 */
class SchedulerRedisIT {

  static final long T0 = 1_800_000_000_000L;
  static final long BOUND_MS = 20_000;
  static final long LEASE_MS = 10_000;

  Vertx vertx;
  int db;
  RedisKvStore kv;
  InJvmCodeQ codeq;
  final AtomicLong clock = new AtomicLong(T0);
  final String tenant = "sched-it-" + UUID.randomUUID().toString().substring(0, 8);
  FunctionStore functions;
  ScheduleStore schedules;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    db = RedisDatabases.claim(vertx, "127.0.0.1", 6379, "SchedulerRedisIT " + tenant);
    kv = new RedisKvStore(vertx, new RedisKvOptions().setConnectionString(RedisDatabases.uri("127.0.0.1", 6379, db)));
    kv.start().await(10, TimeUnit.SECONDS);
    // the lease is deployment-wide: one left by an earlier run on this clock would keep these schedulers standing by
    kv.delete(KvKeys.schedulerLease()).await(10, TimeUnit.SECONDS);
    codeq = new InJvmCodeQ(vertx);
    codeq.start().await(10, TimeUnit.SECONDS);
    functions = new FunctionStore(kv, clock::get);
    schedules = new ScheduleStore(kv, clock::get);
    functions.create(tenant, "default", "report").await(10, TimeUnit.SECONDS);
    String draft = functions.putDraft(tenant, "default", "report",
            BundleFiles.fromUpload(new JsonObject().put("index.mjs", "export const handler = () => 'ok';"),
                BundleFiles.DEFAULT_MAX_TOTAL_BYTES),
            Manifest.parse(null), Duration.ofMinutes(5))
        .await(10, TimeUnit.SECONDS).getString("draft_id");
    functions.publish(tenant, "default", "report", draft, "prod").await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    kv.delete(KvKeys.schedulerLease()).await(10, TimeUnit.SECONDS);
    RedisDatabases.release(vertx, "127.0.0.1", 6379, db);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  ScheduleSpec everySecond() {
    return ScheduleSpec.parse(new JsonObject().put("function", "report").put("ref", "prod").put("every", "1s")
        .put("overlap", "allow"));
  }

  @Test
  void concurrentChangesToOneScheduleAreAllKept() throws Exception {
    schedules.put(tenant, "default", "nightly", everySecond(), new JsonObject(), 10_000)
        .await(10, TimeUnit.SECONDS);
    List<Future<JsonObject>> triggers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      long at = T0 + i;
      triggers.add(schedules.change(tenant, "default", "nightly", false, current -> {
        JsonObject doc = current.copy();
        doc.getJsonObject("state").getJsonArray("triggers").add(at);
        return doc;
      }));
    }
    Future.all(triggers).await(20, TimeUnit.SECONDS);
    JsonObject stored = schedules.get(tenant, "default", "nightly").await(10, TimeUnit.SECONDS);
    assertEquals(10, stored.getJsonObject("state").getJsonArray("triggers").size(), stored.encodePrettily());
    assertEquals(List.of("nightly"), schedules.list(tenant, "default", 10).await(10, TimeUnit.SECONDS)
        .stream().map(d -> d.getString("name")).toList());
    schedules.delete(tenant, "default", "nightly").await(10, TimeUnit.SECONDS);
    assertEquals(List.of(), schedules.list(tenant, "default", 10).await(10, TimeUnit.SECONDS));
  }

  @Test
  void announcementsBeyondWhatTheRedisClientQueuesAreAllTakenAtOnce() throws Exception {
    // more than the client's pool lets wait (128): removing them all at once would be refused
    int count = 3 * RedisKvOptions.DEFAULT_MAX_POOL_WAITING;
    schedules.takeChanges(Scheduler.MAX_SCHEDULES).await(30, TimeUnit.SECONDS);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add("s" + i);
      schedules.put(tenant, "default", "s" + i, everySecond(), new JsonObject(), 10_000).await(10, TimeUnit.SECONDS);
    }
    List<String> taken = schedules.takeChanges(Scheduler.MAX_SCHEDULES).await(30, TimeUnit.SECONDS);
    assertEquals(names.stream().map(n -> ScheduleStore.entry(tenant, "default", n)).sorted().toList(),
        taken.stream().sorted().toList());
    assertEquals(List.of(), schedules.takeChanges(Scheduler.MAX_SCHEDULES).await(10, TimeUnit.SECONDS),
        "taken announcements are gone");
    for (String n : names) {
      schedules.delete(tenant, "default", n).await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void twoSchedulersOnTheSameSchedulesPublishEachTickOnce() throws Exception {
    Map<String, AtomicInteger> published = new ConcurrentHashMap<>();
    CodeQSubscription subscription = codeq.subscribe(new SubscribeOptions().setTopic(Topics.INVOKE)
        .setGroup("it-" + tenant), message -> {
          InvocationRequest request = MessageCodec.decodeRequest(message.payload());
          if (request.tenant().equals(tenant)) {
            published.computeIfAbsent(request.activationId(), id -> new AtomicInteger()).incrementAndGet();
          }
          message.ack();
        }).await(10, TimeUnit.SECONDS);
    String name = "every-second";
    schedules.put(tenant, "default", name, everySecond(), new JsonObject().put("roles", List.of("admin")), 10_000)
        .await(10, TimeUnit.SECONDS);
    List<Scheduler> schedulers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Scheduler scheduler = new Scheduler(vertx, schedules, functions, codeq,
          new SchedulerOptions(10, 5_000, 30_000, LEASE_MS), "scheduler-it-" + i, clock::get,
          new SimpleMeterRegistry(), new KvLeaseElection(kv, "scheduler-it-" + i, LEASE_MS, clock::get));
      vertx.deployVerticle(new ComponentVerticle(scheduler)).await(10, TimeUnit.SECONDS);
      schedulers.add(scheduler);
    }
    int ticks = 20;
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= ticks; i++) {
      long tick = clock.addAndGet(1_000);
      expected.add(ScheduleState.activationId(tenant, "default", name, tick));
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
      while (published.size() < i && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }
    // a walk that raced the other for a tick has had many polls to publish it a second time by now
    Thread.sleep(300);
    subscription.close().await(10, TimeUnit.SECONDS);
    assertEquals(1, schedulers.stream().filter(Scheduler::leads).count(), "exactly one scheduler leads");
    assertEquals(expected.stream().sorted().toList(), published.keySet().stream().sorted().toList());
    published.forEach((id, count) -> assertEquals(1, count.get(), "activation " + id + " published twice"));
    JsonObject doc = schedules.get(tenant, "default", name).await(10, TimeUnit.SECONDS);
    assertEquals(ticks, doc.getJsonObject("state").getJsonObject("counters").getLong("fired"));
    assertTrue(ScheduleState.ticks(doc).size() >= ticks);
    schedules.delete(tenant, "default", name).await(10, TimeUnit.SECONDS);
  }

  @Test
  void ofTwoContendersOneLeadsAndTheOtherTakesOverWithAHigherEpochOnceTheLeaseRunsOut() throws Exception {
    KvLeaseElection a = new KvLeaseElection(kv, "a", LEASE_MS, clock::get);
    KvLeaseElection b = new KvLeaseElection(kv, "b", LEASE_MS, clock::get);
    assertTrue(a.lead().await(10, TimeUnit.SECONDS));
    assertEquals(false, b.lead().await(10, TimeUnit.SECONDS));
    long first = a.epoch();
    // a renews past half its lease and keeps leading
    clock.addAndGet(LEASE_MS * 3 / 4);
    assertTrue(a.lead().await(10, TimeUnit.SECONDS));
    clock.addAndGet(LEASE_MS * 3 / 4);
    assertEquals(false, b.lead().await(10, TimeUnit.SECONDS), "a renewed lease still holds");
    // a dies without resigning: b takes over once the lease has run out
    clock.addAndGet(LEASE_MS + 1);
    assertTrue(b.lead().await(10, TimeUnit.SECONDS));
    assertEquals(first + 1, b.epoch());
    assertEquals(false, a.lead().await(10, TimeUnit.SECONDS), "the old leader learns it was deposed");
    assertEquals(0, a.epoch());
    // a leader that resigns hands over at once, and the epoch still grows
    b.resign().await(10, TimeUnit.SECONDS);
    assertTrue(a.lead().await(10, TimeUnit.SECONDS));
    assertEquals(first + 2, a.epoch());
  }
}
