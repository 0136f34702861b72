package io.codesous.bench;

import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.codeq.kafka.KafkaCodeQ;
import io.codesous.codeq.kafka.KafkaCodeQOptions;
import io.codesous.kv.redis.RedisKvOptions;
import io.codesous.platform.ClusterOptions;
import io.codesous.platform.PlatformOptions;
import io.codesous.platform.VertxFactory;
import io.codesous.kv.redis.RedisKvStore;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Trigger;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What one step on the Redis + Kafka path costs on its own, one at a time (no concurrency): a
 * Redis read, a conditional write, a compare-and-set, a Kafka publish (acks=all, as every invoke
 * waits for it; once more through the Kafka producer alone), a message's trip from publish to the
 * subscriber's handler, and decoding a {@code cs.invoke.v1} envelope (each activation decodes one,
 * and its result is decoded too). The sum of the steps an activation takes is the floor of the
 * {@code single} shape's latency above embedded.
 * It prints a table; it asserts nothing.
 *
 * <pre>
 * bench/run.sh --hops [--runs 2000] [--redis redis://127.0.0.1:6379]
 * </pre>
 */
public final class HopBenchmark {

  private static final long STEP_TIMEOUT_SECONDS = 30;
  /** Untimed publishes before the first measured Kafka step. */
  private static final int BROKER_WARMUP_PUBLISHES = 3_000;

  private HopBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int runs = 2_000;
    String redisUri = RedisKvOptions.DEFAULT_CONNECTION_STRING;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--runs") && i + 1 < args.length) {
        runs = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--redis") && i + 1 < args.length) {
        redisUri = args[++i];
      } else {
        System.err.println("usage: bench --hops [--runs N] [--redis URI]");
        System.exit(2);
      }
    }
    Vertx vertx = Vertx.vertx();
    try (SharedBackends backends = SharedBackends.start(vertx, redisUri)) {
      Map<String, Histogram> steps = new LinkedHashMap<>();
      measureCodec(runs * 10, steps);
      measureRedis(vertx, backends, runs, steps);
      measureKafka(vertx, backends, runs, steps);
      measureClusteredEventBus(runs, steps);
      System.out.println(backends.describe());
      System.out.printf("%-40s %8s %8s %8s %8s%n", "step (one at a time)", "runs", "p50 ms", "p99 ms", "max ms");
      steps.forEach((name, h) -> System.out.printf("%-40s %8d %8.3f %8.3f %8.3f%n", name, h.getTotalCount(),
          h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6));
    } finally {
      vertx.close().await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    // the test broker's threads would keep the JVM alive
    System.exit(0);
  }

  /** Every invoker decodes each request and every gateway each result: both are schema-checked. */
  private static void measureCodec(int runs, Map<String, Histogram> steps) throws Exception {
    InvocationRequest request = new InvocationRequest(UUID.randomUUID().toString(), "req-1", "bench", "default",
        "hello", "prod", 1, new Trigger(Trigger.HTTP, null), null,
        new JsonObject().put("method", "GET").put("path", "/").put("headers", new JsonObject().put("accept", "*/*")),
        System.currentTimeMillis() + 30_000, 30_000, "gw-1", null, null, System.currentTimeMillis(), 1);
    Buffer encoded = MessageCodec.encode(request);
    steps.put("decode cs.invoke.v1 (schema-checked)",
        time(runs, () -> Future.succeededFuture(MessageCodec.decodeRequest(encoded))));
  }

  private static void measureRedis(Vertx vertx, SharedBackends backends, int runs, Map<String, Histogram> steps)
      throws Exception {
    RedisKvStore kv = new RedisKvStore(vertx, new RedisKvOptions(backends.redisSettings()));
    await(kv.start());
    String tenant = "bench-hops-" + UUID.randomUUID();
    String prefix = "cs:" + tenant + ":";
    try {
      String key = prefix + "value";
      await(kv.put(key, "v0", Duration.ofMinutes(5)));
      steps.put("redis GET", time(runs, () -> kv.get(key)));
      int[] n = {0};
      steps.put("redis SET NX EX (putIfAbsent)", time(runs,
          () -> kv.putIfAbsent(prefix + "nx-" + n[0]++, "v", Duration.ofMinutes(5))));
      String[] current = {"v0"};
      steps.put("redis compare-and-set (EVALSHA)", time(runs, () -> {
        String next = "v" + n[0]++;
        return kv.compareAndSet(key, current[0], next).map(swapped -> {
          current[0] = next;
          return swapped;
        });
      }));
      steps.put("redis ZADD (indexAdd)", time(runs, () -> kv.indexAdd(prefix + "index", "m" + n[0]++, n[0])));
    } finally {
      backends.deleteTenant(tenant);
      await(kv.stop());
    }
  }

  private static void measureKafka(Vertx vertx, SharedBackends backends, int runs, Map<String, Histogram> steps)
      throws Exception {
    KafkaCodeQ codeq = new KafkaCodeQ(vertx, new KafkaCodeQOptions(backends.kafkaSettings()));
    await(codeq.start());
    String topic = "bench-hops-" + UUID.randomUUID();
    try {
      // The broker's first thousands of appends are slower (its own code warming up): untimed, so
      // that the first Kafka step measured does not pay for them alone.
      for (int i = 0; i < BROKER_WARMUP_PUBLISHES; i++) {
        await(codeq.publish(topic, "k", Buffer.buffer("x")));
      }
      steps.put("kafka publish (acks=all)", time(runs, () -> codeq.publish(topic, "k", Buffer.buffer("x"))));
      steps.put("  same, Kafka producer called directly", directSends(backends, topic, runs));
      Arrivals arrivals = new Arrivals();
      // subscribed from a context, as the invoker subscribes from its verticle's: the handler runs there
      var subscribed = vertx.getOrCreateContext();
      Promise<Void> ready = Promise.promise();
      subscribed.runOnContext(v -> codeq.subscribe(new SubscribeOptions().setTopic(topic)
              .setGroup("bench-hops").setMaxInFlight(16), (CodeQMessage message) -> {
                message.ack();
                arrivals.arrived();
              }).<Void>mapEmpty().onComplete(ready));
      await(ready.future());
      // what was published before the group joined arrives first: let it drain
      Thread.sleep(2_000);
      steps.put("kafka publish -> handler", time(runs, () -> {
        Future<Void> delivered = arrivals.expect();
        return codeq.publish(topic, "k", Buffer.buffer("x")).compose(v -> delivered);
      }));
    } finally {
      await(codeq.stop());
    }
  }

  /**
   * A result's trip to its gateway when they run in different processes: a point-to-point send
   * over the clustered event bus (Hazelcast, TCP on loopback), here between two Vert.x instances
   * of this JVM, from a context of one to a consumer of the other.
   */
  private static void measureClusteredEventBus(int runs, Map<String, Histogram> steps) throws Exception {
    int gatewayPort = FreePort.pick();
    int invokerPort = FreePort.pick();
    List<String> members = List.of("127.0.0.1:" + gatewayPort, "127.0.0.1:" + invokerPort);
    Vertx gateway = await(VertxFactory.create(new PlatformOptions().setCluster(
        new ClusterOptions().setEnabled(true).setPort(gatewayPort).setMembers(members))));
    Vertx invoker = await(VertxFactory.create(new PlatformOptions().setCluster(
        new ClusterOptions().setEnabled(true).setPort(invokerPort).setMembers(members))));
    try {
      Arrivals arrivals = new Arrivals();
      String address = "bench.hops." + UUID.randomUUID();
      await(gateway.eventBus().<Buffer>consumer(address, message -> arrivals.arrived()).completion());
      Buffer result = Buffer.buffer(new byte[600]);
      var sender = invoker.getOrCreateContext();
      steps.put("clustered event bus send -> consumer", time(runs, () -> {
        Future<Void> delivered = arrivals.expect();
        sender.runOnContext(v -> invoker.eventBus().send(address, result));
        return delivered;
      }));
    } finally {
      await(invoker.close());
      await(gateway.close());
    }
  }

  /**
   * The same publish with the Kafka producer alone, its completion left on the producer's I/O
   * thread: what the codeQ adds (the topic check, the hop back to the caller's context).
   */
  private static Histogram directSends(SharedBackends backends, String topic, int runs) throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, backends.kafkaBootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    try (KafkaProducer<String, byte[]> producer =
             new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      return time(runs, () -> {
        Promise<Void> acked = Promise.promise();
        producer.send(new ProducerRecord<>(topic, "k", new byte[] {'x'}),
            (metadata, failure) -> {
              if (failure == null) {
                acked.complete();
              } else {
                acked.fail(failure);
              }
            });
        return acked.future();
      });
    }
  }

  /** The next message a step waits for, one at a time: what arrives while none is expected is dropped. */
  private static final class Arrivals {
    private final AtomicReference<Promise<Void>> expected = new AtomicReference<>();

    Future<Void> expect() {
      Promise<Void> arrival = Promise.promise();
      expected.set(arrival);
      return arrival.future();
    }

    void arrived() {
      Promise<Void> arrival = expected.getAndSet(null);
      if (arrival != null) {
        arrival.tryComplete();
      }
    }
  }

  private static <T> Histogram time(int runs, Supplier<Future<T>> step) throws Exception {
    for (int i = 0; i < Math.min(500, runs); i++) {
      await(step.get());
    }
    Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_SECONDS), 3);
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      await(step.get());
      h.recordValue(System.nanoTime() - start);
    }
    return h;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
