package io.codesous.scheduler;

import io.codesous.codeq.CodeQ;
import io.codesous.codeq.jvm.InJvmCodeQ;
import io.codesous.component.ComponentVerticle;
import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.store.FunctionStore;
import io.codesous.store.ScheduleStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.codesous.testsupport.Await.until;

/** What the scheduler tests on the in-memory KV set up alike: a Vert.x per test, its KV, and a clock they move. */
abstract class InMemorySchedulerTest {

  static final long T = 1_000_000_000L;

  Vertx vertx;
  InMemoryKvStore kv;
  final AtomicLong clock = new AtomicLong(T);
  /** The scheduler {@link #leadEverySecond} deployed last. */
  Scheduler leader;

  @BeforeEach
  void startVertxAndKv() throws Exception {
    vertx = Vertx.vertx();
    kv = new InMemoryKvStore(vertx);
    kv.start().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** Looks every 10 ms; runs are on time up to 5 s late, markers outlive a lost result by 30 s, leases last 10 s. */
  static SchedulerOptions options() {
    return new SchedulerOptions(10, 5_000, 30_000, 10_000);
  }

  /**
   * Starts an in-JVM queue and the report function ({@link SchedulerFixture#publishReport}), puts {@code count}
   * schedules every second (s0, s1, ...) through {@code schedules} and deploys a scheduler {@code name} with
   * {@link #options()}; answers its meters once it holds every schedule.
   */
  SimpleMeterRegistry leadEverySecond(String name, ScheduleStore schedules, int count) throws Exception {
    return leadEverySecond(name, schedules, count, options());
  }

  /** {@link #leadEverySecond(String, ScheduleStore, int)} with {@code options}; the scheduler is {@link #leader}. */
  SimpleMeterRegistry leadEverySecond(String name, ScheduleStore schedules, int count, SchedulerOptions options)
      throws Exception {
    InJvmCodeQ codeq = new InJvmCodeQ(vertx);
    codeq.start().await(10, TimeUnit.SECONDS);
    FunctionStore functions = new FunctionStore(kv, clock::get);
    SchedulerFixture.publishReport(functions, "acme");
    SchedulerFixture.putEverySecond(schedules, "acme", count);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Scheduler scheduler = deployScheduler(name, options, schedules, functions, codeq, registry);
    until(() -> scheduler.held() == count, "the leader holds every schedule");
    leader = scheduler;
    return registry;
  }

  /** Moves the clock to {@code at} and waits until {@code registry} counts {@code firedInAll} fired ticks. */
  void tickTo(SimpleMeterRegistry registry, long at, int firedInAll) {
    clock.set(at);
    until(() -> registry.counter("cs.scheduler.ticks", "outcome", "fired").count() == firedInAll,
        firedInAll + " ticks fired by " + at);
  }

  /** Deploys a scheduler {@code name}, electing itself through a lease in the KV, on the test's clock. */
  Scheduler deployScheduler(String name, SchedulerOptions options, ScheduleStore schedules, FunctionStore functions,
                            CodeQ codeq, MeterRegistry registry) throws Exception {
    Scheduler scheduler = new Scheduler(vertx, schedules, functions, codeq, options, name, clock::get, registry,
        new KvLeaseElection(kv, name, options.leaseMs(), clock::get));
    vertx.deployVerticle(new ComponentVerticle(scheduler)).await(10, TimeUnit.SECONDS);
    return scheduler;
  }
}
