package io.codesous.codeq.kafka;

import static io.codesous.codeq.kafka.KafkaCodeQDefaults.*;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link KafkaCodeQOptions} to and from JSON, in the shape of a Vert.x data object converter: the
 * names are the options' property names, a missing or null value means the default, and each
 * value goes through its setter, so JSON is checked exactly like code is.
 */
final class KafkaCodeQOptionsConverter {

  private KafkaCodeQOptionsConverter() {
  }

  static void fromJson(JsonObject json, KafkaCodeQOptions options) {
    options.setBootstrapServers(json.getString("bootstrapServers", DEFAULT_BOOTSTRAP_SERVERS));
    options.setClientIdPrefix(json.getString("clientIdPrefix", DEFAULT_CLIENT_ID_PREFIX));
    options.setLingerMs(json.getInteger("lingerMs", DEFAULT_LINGER_MS));
    options.setDeliveryTimeoutMs(json.getInteger("deliveryTimeoutMs", DEFAULT_DELIVERY_TIMEOUT_MS));
    options.setRequestTimeoutMs(json.getInteger("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS));
    options.setMaxPollRecords(json.getInteger("maxPollRecords", DEFAULT_MAX_POLL_RECORDS));
    options.setSessionTimeoutMs(json.getInteger("sessionTimeoutMs", DEFAULT_SESSION_TIMEOUT_MS));
    options.setHeartbeatIntervalMs(
        json.getInteger("heartbeatIntervalMs", DEFAULT_HEARTBEAT_INTERVAL_MS));
    options.setCommitIntervalMs(json.getInteger("commitIntervalMs", DEFAULT_COMMIT_INTERVAL_MS));
    options.setRevocationGraceMs(json.getInteger("revocationGraceMs", DEFAULT_REVOCATION_GRACE_MS));
    options.setPartitions(json.getInteger("partitions", DEFAULT_PARTITIONS));
    options.setReplicationFactor(
        json.getInteger("replicationFactor", (int) DEFAULT_REPLICATION_FACTOR));
    options.setOperationTimeoutMs(
        json.getInteger("operationTimeoutMs", DEFAULT_OPERATION_TIMEOUT_MS));
    options.setPingTimeoutMs(json.getInteger("pingTimeoutMs", DEFAULT_PING_TIMEOUT_MS));
    Map<String, String> properties = new LinkedHashMap<>();
    json.getJsonObject("clientProperties", new JsonObject())
        .forEach(entry -> properties.put(entry.getKey(), String.valueOf(entry.getValue())));
    options.setClientProperties(properties);
  }

  static JsonObject toJson(KafkaCodeQOptions options) {
    JsonObject properties = new JsonObject();
    options.getClientProperties().forEach(properties::put);
    return new JsonObject()
        .put("bootstrapServers", options.getBootstrapServers())
        .put("clientIdPrefix", options.getClientIdPrefix())
        .put("lingerMs", options.getLingerMs())
        .put("deliveryTimeoutMs", options.getDeliveryTimeoutMs())
        .put("requestTimeoutMs", options.getRequestTimeoutMs())
        .put("maxPollRecords", options.getMaxPollRecords())
        .put("sessionTimeoutMs", options.getSessionTimeoutMs())
        .put("heartbeatIntervalMs", options.getHeartbeatIntervalMs())
        .put("commitIntervalMs", options.getCommitIntervalMs())
        .put("revocationGraceMs", options.getRevocationGraceMs())
        .put("partitions", options.getPartitions())
        .put("replicationFactor", (int) options.getReplicationFactor())
        .put("operationTimeoutMs", options.getOperationTimeoutMs())
        .put("pingTimeoutMs", options.getPingTimeoutMs())
        .put("clientProperties", properties);
  }
}
