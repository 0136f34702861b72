package io.codesous.codeq.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KafkaClientConfigsTest {

  private final KafkaCodeQOptions options = new KafkaCodeQOptions()
      .setBootstrapServers("k1:9092")
      .setClientProperties(Map.of("security.protocol", "SSL"));

  @Test
  void theProducerWaitsForAllReplicasNeverDuplicatesAndSendsAtOnce() {
    Map<String, String> producer = KafkaClientConfigs.producer(options, "p");

    assertEquals("all", producer.get("acks"));
    assertEquals("true", producer.get("enable.idempotence"));
    assertEquals("0", producer.get("linger.ms"));
    assertEquals("30000", producer.get("delivery.timeout.ms"));
    assertEquals("k1:9092", producer.get("bootstrap.servers"));
    assertEquals("SSL", producer.get("security.protocol"));
    assertEquals("p", producer.get("client.id"));
  }

  @Test
  void theConsumerCommitsManuallyStartsAtTheOldestAndNeverCreatesTopics() {
    Map<String, String> consumer = KafkaClientConfigs.consumer(options, "invokers", "c", 16);

    assertEquals("invokers", consumer.get("group.id"));
    assertEquals("false", consumer.get("enable.auto.commit"));
    assertEquals("earliest", consumer.get("auto.offset.reset"));
    assertEquals("false", consumer.get("allow.auto.create.topics"));
    assertEquals("16", consumer.get("max.poll.records"));
    assertEquals("classic", consumer.get("group.protocol"));
    assertEquals("org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
        consumer.get("partition.assignment.strategy"));
    assertEquals("SSL", consumer.get("security.protocol"));
  }

  @Test
  void theAdminClientGetsTheSharedSettings() {
    Map<String, String> admin = KafkaClientConfigs.admin(options, "a");

    assertEquals("k1:9092", admin.get("bootstrap.servers"));
    assertEquals("SSL", admin.get("security.protocol"));
    assertEquals("30000", admin.get("default.api.timeout.ms"));
  }
}
