package io.codesous.codeq.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Kafka client settings the adapter uses, derived from {@link KafkaCodeQOptions}. Why each
 * fixed setting is what it is: see {@link KafkaCodeQOptions}.
 */
final class KafkaClientConfigs {

  /** Settings the adapter decides; {@link KafkaCodeQOptions#getClientProperties()} may not set them. */
  static final Set<String> MANAGED = Set.of(
      CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
      CommonClientConfigs.CLIENT_ID_CONFIG,
      CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG,
      CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG,
      ProducerConfig.ACKS_CONFIG,
      ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
      ProducerConfig.LINGER_MS_CONFIG,
      ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
      ProducerConfig.MAX_BLOCK_MS_CONFIG,
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
      ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
      ConsumerConfig.GROUP_ID_CONFIG,
      ConsumerConfig.GROUP_PROTOCOL_CONFIG,
      ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
      ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
      ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
      ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
      ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
      ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
      ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
      ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
      ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);

  private KafkaClientConfigs() {
  }

  static Map<String, String> producer(KafkaCodeQOptions options, String clientId) {
    Map<String, String> config = common(options, clientId);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(options.getLingerMs()));
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        Integer.toString(options.getDeliveryTimeoutMs()));
    // send() waits this long for metadata when it has none for the topic; a missing broker
    // should fail a publish within the delivery timeout, not Kafka's 60 s default
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(options.getDeliveryTimeoutMs()));
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return config;
  }

  /**
   * @param maxPollRecords already capped at the subscription's credits, so one poll never brings
   *     in more than the subscription may hold
   */
  static Map<String, String> consumer(
      KafkaCodeQOptions options, String group, String clientId, int maxPollRecords) {
    Map<String, String> config = common(options, clientId);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    // bounds the blocking calls the subscription makes: committed offsets, synchronous commits
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        Integer.toString(options.getOperationTimeoutMs()));
    config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
    config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
        Integer.toString(options.getSessionTimeoutMs()));
    config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        Integer.toString(options.getHeartbeatIntervalMs()));
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        ByteArrayDeserializer.class.getName());
    return config;
  }

  static Map<String, String> admin(KafkaCodeQOptions options, String clientId) {
    Map<String, String> config = common(options, clientId);
    // the admin client insists on at least the request timeout here
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        Integer.toString(Math.max(options.getOperationTimeoutMs(), options.getRequestTimeoutMs())));
    return config;
  }

  private static Map<String, String> common(KafkaCodeQOptions options, String clientId) {
    Map<String, String> config = new HashMap<>(options.getClientProperties());
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, options.getBootstrapServers());
    config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG,
        Integer.toString(options.getRequestTimeoutMs()));
    return config;
  }
}
