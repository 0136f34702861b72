package io.codesous.codeq.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KafkaCodeQOptionsTest {

  @Test
  void defaultsAreTheDocumentedConstants() {
    KafkaCodeQOptions options = new KafkaCodeQOptions(new JsonObject());

    assertEquals(KafkaCodeQDefaults.DEFAULT_BOOTSTRAP_SERVERS, options.getBootstrapServers());
    assertEquals(0, options.getLingerMs());
    assertEquals(KafkaCodeQDefaults.DEFAULT_DELIVERY_TIMEOUT_MS, options.getDeliveryTimeoutMs());
    assertEquals(KafkaCodeQDefaults.DEFAULT_MAX_POLL_RECORDS, options.getMaxPollRecords());
    assertEquals(KafkaCodeQDefaults.DEFAULT_SESSION_TIMEOUT_MS, options.getSessionTimeoutMs());
    assertEquals(8, options.getPartitions());
    assertEquals(1, options.getReplicationFactor());
    assertEquals(Map.of(), options.getClientProperties());
    assertEquals(new KafkaCodeQOptions().toJson(), options.toJson());
  }

  @Test
  void everyOptionSurvivesAJsonRoundTrip() {
    KafkaCodeQOptions options = new KafkaCodeQOptions()
        .setBootstrapServers("k1:9092,k2:9092")
        .setClientIdPrefix("cs-prod")
        .setLingerMs(2)
        .setDeliveryTimeoutMs(20_000)
        .setRequestTimeoutMs(5_000)
        .setMaxPollRecords(64)
        .setSessionTimeoutMs(10_000)
        .setHeartbeatIntervalMs(1_000)
        .setCommitIntervalMs(500)
        .setRevocationGraceMs(0)
        .setPartitions(24)
        .setReplicationFactor(3)
        .setOperationTimeoutMs(15_000)
        .setPingTimeoutMs(750)
        .setClientProperties(Map.of("security.protocol", "SSL"));

    JsonObject json = options.toJson();
    KafkaCodeQOptions copy = new KafkaCodeQOptions(json);

    assertEquals(json, copy.toJson());
    assertEquals("k1:9092,k2:9092", copy.getBootstrapServers());
    assertEquals(24, copy.getPartitions());
    assertEquals(3, copy.getReplicationFactor());
    assertEquals(Map.of("security.protocol", "SSL"), copy.getClientProperties());
    assertEquals(json, new KafkaCodeQOptions(options).toJson());
  }

  @Test
  void settersReturnTheOptionsAndRejectNonsense() {
    KafkaCodeQOptions options = new KafkaCodeQOptions();
    assertSame(options, options.setLingerMs(1));
    assertThrows(IllegalArgumentException.class, () -> options.setBootstrapServers(" "));
    assertThrows(IllegalArgumentException.class, () -> options.setLingerMs(-1));
    assertThrows(IllegalArgumentException.class, () -> options.setPartitions(0));
    assertThrows(IllegalArgumentException.class, () -> options.setReplicationFactor(0));
    assertThrows(IllegalArgumentException.class, () -> options.setPingTimeoutMs(0));
    assertThrows(IllegalArgumentException.class,
        () -> new KafkaCodeQOptions(new JsonObject().put("partitions", -3)));
  }

  @Test
  void clientPropertiesCannotOverrideWhatTheAdapterManages() {
    KafkaCodeQOptions options = new KafkaCodeQOptions();
    for (String managed : new String[] {"acks", "enable.idempotence", "enable.auto.commit",
        "auto.offset.reset", "bootstrap.servers", "group.id", "max.poll.records"}) {
      assertThrows(IllegalArgumentException.class,
          () -> options.setClientProperties(Map.of(managed, "x")), managed);
    }
  }

  @Test
  void contradictingOptionsAreRefusedByTheQueue() {
    assertThrows(IllegalArgumentException.class, () -> new KafkaCodeQOptions()
        .setDeliveryTimeoutMs(1_000).setRequestTimeoutMs(2_000).validate());
    assertThrows(IllegalArgumentException.class, () -> new KafkaCodeQOptions()
        .setSessionTimeoutMs(3_000).setHeartbeatIntervalMs(3_000).validate());
    // lingerMs + requestTimeoutMs beyond an int must not wrap around to a sum that passes
    assertThrows(IllegalArgumentException.class, () -> new KafkaCodeQOptions()
        .setLingerMs(Integer.MAX_VALUE).setDeliveryTimeoutMs(Integer.MAX_VALUE).validate());
  }
}
