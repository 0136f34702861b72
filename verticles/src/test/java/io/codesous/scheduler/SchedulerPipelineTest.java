package io.codesous.scheduler;

import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.codeq.TypedMessage;
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
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.codesous.testsupport.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The scheduler goes on to the next ticks while the queue has not yet acknowledged the runs it published, and
 * measures each run's lag once its acknowledgement comes.
 */
class SchedulerPipelineTest {

  static final long T = 1_000_000_000L;

  /**
   * A queue that delivers at once but holds every acknowledgement until the test releases it; a release completes
   * on the publisher's context, as the port does.
   */
  static final class SlowAckCodeQ extends InJvmCodeQ {
    final List<Runnable> held = new CopyOnWriteArrayList<>();

    SlowAckCodeQ(Vertx vertx) {
      super(vertx);
    }

    @Override
    public Future<Void> publish(String topic, String key, Buffer payload) {
      return held(super.publish(topic, key, payload));
    }

    @Override
    public Future<Void> publish(String topic, String key, TypedMessage message) {
      return held(super.publish(topic, key, message));
    }

    private Future<Void> held(Future<Void> published) {
      Promise<Void> ack = Promise.promise();
      Context publisher = Vertx.currentContext();
      published.onFailure(ack::fail)
          .onSuccess(v -> held.add(() -> publisher.runOnContext(go -> ack.complete())));
      return ack.future();
    }
  }

  Vertx vertx;
  InMemoryKvStore kv;
  SlowAckCodeQ codeq;
  FunctionStore functions;
  final AtomicLong clock = new AtomicLong(T);

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    kv = new InMemoryKvStore(vertx);
    kv.start().await(10, TimeUnit.SECONDS);
    codeq = new SlowAckCodeQ(vertx);
    codeq.start().await(10, TimeUnit.SECONDS);
    functions = new FunctionStore(kv, clock::get);
    SchedulerFixture.publishReport(functions, "acme");
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void ticksKeepFiringWhileTheQueueHasNotAcknowledgedEarlierRunsAndTheirLagIsMeasuredOnAcknowledgement()
      throws Exception {
    Set<Long> delivered = ConcurrentHashMap.newKeySet();
    CodeQSubscription subscription = codeq.subscribe(new SubscribeOptions().setTopic(Topics.INVOKE)
        .setGroup("pipeline"), message -> {
          InvocationRequest request = MessageCodec.decodeRequest(message.payload());
          delivered.add(request.trigger().source().getLong("scheduled_at_ms"));
          message.ack();
        }).await(10, TimeUnit.SECONDS);
    ScheduleStore schedules = new ScheduleStore(kv, clock::get);
    schedules.put("acme", "default", "every-second", ScheduleSpec.parse(new JsonObject().put("function", "report")
        .put("ref", "prod").put("every", "1s").put("overlap", "allow")), new JsonObject(), 1_000)
        .await(10, TimeUnit.SECONDS);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Scheduler scheduler = new Scheduler(vertx, schedules, functions, codeq,
        new SchedulerOptions(10, 5_000, 30_000, 10_000), "pipeline", clock::get, registry,
        new KvLeaseElection(kv, "pipeline", 10_000, clock::get));
    vertx.deployVerticle(new ComponentVerticle(scheduler)).await(10, TimeUnit.SECONDS);
    until(scheduler::leads, "the scheduler leads");

    for (int i = 1; i <= 3; i++) {
      long tick = T + i * 1_000L;
      clock.set(tick);
      until(() -> delivered.contains(tick), "the tick at T+" + (tick - T) + " ms is published");
    }
    assertEquals(3, codeq.held.size(), "no publish was acknowledged yet");
    assertEquals(0, registry.timer("cs.scheduler.tick.lag").count(), "lag is measured on acknowledgement only");

    codeq.held.forEach(Runnable::run);
    until(() -> registry.timer("cs.scheduler.tick.lag").count() == 3, "the three runs' lag is measured");
    subscription.close().await(10, TimeUnit.SECONDS);
  }
}
