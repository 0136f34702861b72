package io.codesous.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.codesous.spec.message.Topics;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads {@code cs.results} in a consumer group of its own, as any downstream consumer would, and
 * counts the result messages of one tenant per activation id. It shares nothing with the platform
 * but the broker, so what it counts is what the platform durably published.
 */
final class ResultCounter implements AutoCloseable {

  private final String tenant;
  private final KafkaConsumer<String, String> consumer;
  private final Map<String, AtomicInteger> perActivation = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> perFunction = new ConcurrentHashMap<>();
  private final Thread poller;
  private volatile boolean running = true;

  ResultCounter(String bootstrapServers, String group, String tenant) {
    this.tenant = tenant;
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    // from the topic's start: the results of the run's first activations may predate the subscription
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    consumer.subscribe(List.of(Topics.RESULTS));
    this.poller = new Thread(this::poll, "gate-result-counter");
    poller.setDaemon(true);
    poller.start();
  }

  private void poll() {
    while (running) {
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
        JsonObject result = new JsonObject(record.value());
        if (tenant.equals(result.getString("tenant"))) {
          perActivation.computeIfAbsent(result.getString("activation_id"), id -> new AtomicInteger()).incrementAndGet();
          perFunction.computeIfAbsent(result.getString("function"), f -> new AtomicInteger()).incrementAndGet();
        }
      }
    }
    consumer.close(Duration.ofSeconds(5));
  }

  /** How many result messages carried this activation id. */
  int count(String activationId) {
    AtomicInteger n = perActivation.get(activationId);
    return n == null ? 0 : n.get();
  }

  /** Result messages of one function. */
  int countOf(String function) {
    AtomicInteger n = perFunction.get(function);
    return n == null ? 0 : n.get();
  }

  /** Activation ids seen more than once. */
  long duplicated() {
    return perActivation.values().stream().filter(n -> n.get() > 1).count();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    poller.join(10_000);
  }
}
