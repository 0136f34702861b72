package io.codesous.invoker;

import io.codesous.auth.authz.Authorizer;
import io.codesous.auth.secret.SecretBox;
import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.codeq.kafka.KafkaCodeQ;
import io.codesous.codeq.kafka.KafkaCodeQOptions;
import io.codesous.codeq.kafka.KafkaTestBroker;
import io.codesous.egress.EgressClient;
import io.codesous.egress.EgressOptions;
import io.codesous.invoker.host.HostServices;
import io.codesous.observe.ActivationMeters;
import io.codesous.observe.ObservabilityOptions;
import io.codesous.observe.Tracing;
import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.component.ComponentVerticle;
import io.codesous.runtime.JsRuntime;
import io.codesous.runtime.RuntimeOptions;
import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.message.CancelRequest;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.codesous.spec.model.Manifest;
import io.codesous.store.ActivationStore;
import io.codesous.store.FunctionStore;
import io.codesous.store.SecretStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.codesous.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Dead letters on the real queue: an invoker subscribed to {@code cs.invoke} on a Kafka broker (in
 * this JVM) moves a malformed message to {@code cs.invoke.dlq} and acknowledges it, so the group's
 * committed offset passes it and the messages behind it on its partition are not held back; and a
 * {@code cs.cancel.v1} on the broker stops the activation the invoker is running.
 */
class InvokerKafkaIT {

  static final String T = "acme";
  static final String NS = "default";
  /** Long enough for a loaded machine: the invoker warms its engine and joins the group first. */
  static final long PATIENCE_MS = 30_000;

  static final KafkaTestBroker BROKER = KafkaTestBroker.shared();

  Vertx vertx;
  InMemoryKvStore kv;
  KafkaCodeQ codeq;
  JsRuntime runtime;
  FunctionStore functions;
  final BlockingQueue<InvocationResult> results = new LinkedBlockingQueue<>();
  final BlockingQueue<JsonObject> deadLetters = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    kv = new InMemoryKvStore(vertx);
    codeq = new KafkaCodeQ(vertx, new KafkaCodeQOptions()
        .setBootstrapServers(BROKER.bootstrapServers())
        // the broker's minimum session and frequent heartbeats: group joins take a moment, not seconds
        .setSessionTimeoutMs(6_000)
        .setHeartbeatIntervalMs(200)
        // committed offsets show up soon after the acknowledgement
        .setCommitIntervalMs(100));
    runtime = new JsRuntime(new RuntimeOptions());
    functions = new FunctionStore(kv, System::currentTimeMillis);
    ActivationStore activations = new ActivationStore(kv, System::currentTimeMillis, Duration.ofHours(1));
    await(kv.start());
    await(codeq.start());
    Invoker invoker = new Invoker(vertx, functions, activations, codeq, runtime,
        new InvokerOptions().setWorkerPoolSize(2).setMaxInFlight(8).setRetryDelayMs(50), "kafka-invoker",
        System::currentTimeMillis, new SimpleMeterRegistry(),
        new ActivationMeters(new SimpleMeterRegistry(), new ObservabilityOptions()), Tracing.OFF,
        new HostServices(kv, codeq, new EgressClient(vertx, new EgressOptions())), Authorizer.withBuiltInRoles(),
        new SecretStore(kv, new SecretBox(new byte[SecretBox.KEY_BYTES]), System::currentTimeMillis));
    await(vertx.deployVerticle(new ComponentVerticle(invoker)));
    String readers = "test-" + UUID.randomUUID();
    await(codeq.subscribe(new SubscribeOptions().setTopic(Topics.RESULTS).setGroup(readers), (CodeQMessage m) -> {
      results.add(MessageCodec.decodeResult(m.payload()));
      m.ack();
    }));
    await(codeq.subscribe(new SubscribeOptions().setTopic(Topics.INVOKE_DEAD_LETTER).setGroup(readers),
        (CodeQMessage m) -> {
          deadLetters.add(new JsonObject(m.payload()));
          m.ack();
        }));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (codeq != null) {
        await(codeq.stop());
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
      runtime.close();
    }
  }

  static Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers()));
  }

  @Test
  void aMalformedMessageIsDeadLetteredAndCommittedSoTheOneBehindItRuns() throws Exception {
    long version = publishVersion("dlq-kafka", "export const handler = () => ({ statusCode: 200, body: 'ran' });");
    // one key for both: they share a partition, the malformed one first
    String key = "same-partition-" + UUID.randomUUID();
    await(codeq.publish(Topics.INVOKE, key, Buffer.buffer("not json")));

    try (Admin admin = admin()) {
      TopicPartition partition = partitionOf(admin, key);
      long malformedOffset = endOffset(admin, partition) - 1;
      InvocationRequest good = InvokerTest.request("dlq-kafka", version, UUID.randomUUID().toString());
      await(codeq.publish(Topics.INVOKE, key, MessageCodec.encode(good)));

      JsonObject dead = deadLetters.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
      assertNotNull(dead, "the malformed message reaches " + Topics.INVOKE_DEAD_LETTER);
      assertEquals("not a JSON object", dead.getString("reason"), dead.encode());
      assertEquals(Topics.INVOKE, dead.getString("topic"));
      assertEquals(key, dead.getString("key"));
      assertEquals("not json",
          new String(Base64.getDecoder().decode(dead.getString("payload_base64")), StandardCharsets.UTF_8));

      InvocationResult result = resultOf(good.activationId(), PATIENCE_MS);
      assertNotNull(result, "the message behind the malformed one is executed");
      assertEquals(good.activationId(), result.activationId());
      assertEquals("success", result.status().wire());
      assertEquals("ran", result.response().getString("body"));

      // commits are contiguous: an unacknowledged dead letter would hold the offset at malformedOffset
      assertEquals(malformedOffset + 2, awaitCommitted(admin, partition, malformedOffset + 2),
          "the invokers' committed offset passes the malformed message and the one behind it");
    }
  }

  @Test
  void aCancelOnTheQueueStopsTheLoopingActivationOfTheInvokerRunningIt() throws Exception {
    long version = publishVersion("loop-kafka", "export const handler = () => { while (true) {} };");
    String id = UUID.randomUUID().toString();
    await(codeq.publish(Topics.INVOKE, id, MessageCodec.encode(InvokerTest.request("loop-kafka", version, id))));
    // a cancel that passes before the sandbox runs the activation finds nothing to stop: send it until it lands
    CancelRequest cancel = new CancelRequest(T, NS, id, null, CancelRequest.SOURCE_API, System.currentTimeMillis());
    InvocationResult result = null;
    long deadline = System.currentTimeMillis() + PATIENCE_MS;
    while (result == null && System.currentTimeMillis() < deadline) {
      await(codeq.publish(Topics.CANCEL, id, cancel.encode()));
      result = resultOf(id, 500);
    }
    assertNotNull(result, "the activation ends");
    assertEquals(id, result.activationId());
    // the manifest's 30 s timeout has not passed: only the cancel ends it so
    assertEquals("cancelled", result.status().wire(), result.toString());
    assertEquals("CS_CANCELLED", result.error().getString("code"));
  }

  /**
   * The result of that activation within {@code waitMs}, or {@code null}; results of other activations are skipped
   * (the broker is shared, and a reader group new to {@code cs.results} starts at the oldest result it retains).
   */
  InvocationResult resultOf(String activationId, long waitMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + waitMs;
    for (long left = waitMs; left > 0; left = deadline - System.currentTimeMillis()) {
      InvocationResult next = results.poll(left, TimeUnit.MILLISECONDS);
      if (next != null && next.activationId().equals(activationId)) {
        return next;
      }
    }
    return null;
  }

  long publishVersion(String fn, String code) throws Exception {
    await(functions.create(T, NS, fn));
    BundleFiles bundle = BundleFiles.fromUpload(new JsonObject().put("index.mjs", code), 1 << 20);
    JsonObject draft = await(functions.putDraft(T, NS, fn, bundle, Manifest.parse(null), Duration.ofMinutes(5)));
    return await(functions.publish(T, NS, fn, draft.getString("draft_id"), null)).getLong("version");
  }

  /** Where the producer's default partitioner puts {@code key} on {@code cs.invoke} as it exists now. */
  static TopicPartition partitionOf(Admin admin, String key) throws Exception {
    int partitions = admin.describeTopics(java.util.List.of(Topics.INVOKE)).allTopicNames()
        .get(PATIENCE_MS, TimeUnit.MILLISECONDS).get(Topics.INVOKE).partitions().size();
    return new TopicPartition(Topics.INVOKE,
        BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions));
  }

  static long endOffset(Admin admin, TopicPartition partition) throws Exception {
    return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
        .get(PATIENCE_MS, TimeUnit.MILLISECONDS).offset();
  }

  /** The invokers' committed offset on {@code partition} once it reaches {@code wanted}, or the last seen. */
  static long awaitCommitted(Admin admin, TopicPartition partition, long wanted) throws Exception {
    long deadline = System.currentTimeMillis() + PATIENCE_MS;
    long seen = -1;
    while (System.currentTimeMillis() < deadline) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(Invoker.GROUP)
          .partitionsToOffsetAndMetadata().get(PATIENCE_MS, TimeUnit.MILLISECONDS);
      OffsetAndMetadata offset = committed.get(partition);
      seen = offset == null ? -1 : offset.offset();
      if (seen >= wanted) {
        return seen;
      }
      Thread.sleep(100);
    }
    return seen;
  }
}
