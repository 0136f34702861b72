package io.codesous.codeq.kafka;

import static io.codesous.codeq.kafka.KafkaCodeQDefaults.*;

import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the Kafka queue backend.
 *
 * <p>Some client settings are not options because the port's guarantees depend on them; they are
 * fixed by {@link KafkaClientConfigs}:
 *
 * <ul>
 *   <li>producer {@code acks=all} and {@code enable.idempotence=true}: a publish completes only
 *       once every in-sync replica has the message, and retries never duplicate or reorder it, so
 *       "the queue has taken responsibility" holds and same-key messages keep their order;
 *   <li>consumer {@code enable.auto.commit=false}: offsets are committed by the adapter, and only
 *       up to the first message whose handling has not completed (see {@link KafkaCodeQ});
 *   <li>consumer {@code auto.offset.reset=earliest}: a group new to a topic starts at the oldest
 *       retained message, as the port requires;
 *   <li>consumer {@code allow.auto.create.topics=false}: topics are created by the adapter with
 *       {@link #getPartitions()} and {@link #getReplicationFactor()}, never with a broker's
 *       defaults;
 *   <li>consumer {@code group.protocol=classic} with the {@code CooperativeStickyAssignor}: a
 *       rebalance takes away only the partitions that move, so members keep working on the rest,
 *       and the revocation callback runs on the polling thread before the partition moves, which
 *       is where the adapter commits what was completed.
 * </ul>
 *
 * <p>Everything else a deployment needs (TLS, SASL, ...) goes into {@link #getClientProperties()}.
 * The defaults, and why each has its value, are in {@link KafkaCodeQDefaults}; the JSON form in
 * {@link KafkaCodeQOptionsConverter}.
 */
public class KafkaCodeQOptions {

  private String bootstrapServers = DEFAULT_BOOTSTRAP_SERVERS;
  private String clientIdPrefix = DEFAULT_CLIENT_ID_PREFIX;
  private int lingerMs = DEFAULT_LINGER_MS;
  private int deliveryTimeoutMs = DEFAULT_DELIVERY_TIMEOUT_MS;
  private int requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  private int maxPollRecords = DEFAULT_MAX_POLL_RECORDS;
  private int sessionTimeoutMs = DEFAULT_SESSION_TIMEOUT_MS;
  private int heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
  private int commitIntervalMs = DEFAULT_COMMIT_INTERVAL_MS;
  private int revocationGraceMs = DEFAULT_REVOCATION_GRACE_MS;
  private int partitions = DEFAULT_PARTITIONS;
  private short replicationFactor = DEFAULT_REPLICATION_FACTOR;
  private int operationTimeoutMs = DEFAULT_OPERATION_TIMEOUT_MS;
  private int pingTimeoutMs = DEFAULT_PING_TIMEOUT_MS;
  private Map<String, String> clientProperties = new LinkedHashMap<>();

  public KafkaCodeQOptions() {
  }

  public KafkaCodeQOptions(KafkaCodeQOptions other) {
    this(other.toJson());
  }

  public KafkaCodeQOptions(JsonObject json) {
    KafkaCodeQOptionsConverter.fromJson(json, this);
  }

  public JsonObject toJson() {
    return KafkaCodeQOptionsConverter.toJson(this);
  }

  /**
   * Checks the rules that span several options (each setter checks its own value).
   *
   * @throws IllegalArgumentException naming the options in conflict
   */
  public void validate() {
    // in long: two large ints would overflow to a negative sum and pass
    if (deliveryTimeoutMs < (long) lingerMs + requestTimeoutMs) {
      throw new IllegalArgumentException("deliveryTimeoutMs (" + deliveryTimeoutMs
          + ") must be at least lingerMs + requestTimeoutMs (" + lingerMs + " + " + requestTimeoutMs
          + ", Kafka's rule)");
    }
    if (heartbeatIntervalMs >= sessionTimeoutMs) {
      throw new IllegalArgumentException("heartbeatIntervalMs (" + heartbeatIntervalMs
          + ") must be below sessionTimeoutMs (" + sessionTimeoutMs + ")");
    }
  }

  /** {@code host:port[,host:port...]} of one or more brokers to discover the cluster from. */
  public String getBootstrapServers() {
    return bootstrapServers;
  }

  public KafkaCodeQOptions setBootstrapServers(String bootstrapServers) {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers must not be blank");
    }
    this.bootstrapServers = bootstrapServers;
    return this;
  }

  /** Start of every client id; the adapter appends the client's role and a unique suffix. */
  public String getClientIdPrefix() {
    return clientIdPrefix;
  }

  public KafkaCodeQOptions setClientIdPrefix(String clientIdPrefix) {
    Objects.requireNonNull(clientIdPrefix, "clientIdPrefix");
    if (clientIdPrefix.isBlank()) {
      throw new IllegalArgumentException("clientIdPrefix must not be blank");
    }
    this.clientIdPrefix = clientIdPrefix;
    return this;
  }

  /** Producer {@code linger.ms}; see {@link KafkaCodeQDefaults#DEFAULT_LINGER_MS}. */
  public int getLingerMs() {
    return lingerMs;
  }

  public KafkaCodeQOptions setLingerMs(int lingerMs) {
    this.lingerMs = atLeast("lingerMs", lingerMs, 0);
    return this;
  }

  /** Producer {@code delivery.timeout.ms} (also its {@code max.block.ms}). */
  public int getDeliveryTimeoutMs() {
    return deliveryTimeoutMs;
  }

  public KafkaCodeQOptions setDeliveryTimeoutMs(int deliveryTimeoutMs) {
    this.deliveryTimeoutMs = atLeast("deliveryTimeoutMs", deliveryTimeoutMs, 1);
    return this;
  }

  /** {@code request.timeout.ms} of every client. */
  public int getRequestTimeoutMs() {
    return requestTimeoutMs;
  }

  public KafkaCodeQOptions setRequestTimeoutMs(int requestTimeoutMs) {
    this.requestTimeoutMs = atLeast("requestTimeoutMs", requestTimeoutMs, 1);
    return this;
  }

  /** Consumer {@code max.poll.records}, capped per subscription at its {@code maxInFlight}. */
  public int getMaxPollRecords() {
    return maxPollRecords;
  }

  public KafkaCodeQOptions setMaxPollRecords(int maxPollRecords) {
    this.maxPollRecords = atLeast("maxPollRecords", maxPollRecords, 1);
    return this;
  }

  /** Consumer {@code session.timeout.ms}; the broker bounds it (group.min/max.session.timeout.ms). */
  public int getSessionTimeoutMs() {
    return sessionTimeoutMs;
  }

  public KafkaCodeQOptions setSessionTimeoutMs(int sessionTimeoutMs) {
    this.sessionTimeoutMs = atLeast("sessionTimeoutMs", sessionTimeoutMs, 1);
    return this;
  }

  /**
   * Consumer {@code heartbeat.interval.ms}: also how soon the members notice that a rebalance
   * started (someone joined or left).
   */
  public int getHeartbeatIntervalMs() {
    return heartbeatIntervalMs;
  }

  public KafkaCodeQOptions setHeartbeatIntervalMs(int heartbeatIntervalMs) {
    this.heartbeatIntervalMs = atLeast("heartbeatIntervalMs", heartbeatIntervalMs, 1);
    return this;
  }

  /**
   * How often a subscription commits its completed offsets; see
   * {@link KafkaCodeQDefaults#DEFAULT_COMMIT_INTERVAL_MS}.
   */
  public int getCommitIntervalMs() {
    return commitIntervalMs;
  }

  public KafkaCodeQOptions setCommitIntervalMs(int commitIntervalMs) {
    this.commitIntervalMs = atLeast("commitIntervalMs", commitIntervalMs, 1);
    return this;
  }

  /** See {@link KafkaCodeQDefaults#DEFAULT_REVOCATION_GRACE_MS}; 0 hands partitions over at once. */
  public int getRevocationGraceMs() {
    return revocationGraceMs;
  }

  public KafkaCodeQOptions setRevocationGraceMs(int revocationGraceMs) {
    this.revocationGraceMs = atLeast("revocationGraceMs", revocationGraceMs, 0);
    return this;
  }

  /** Partitions of the topics the adapter creates. Existing topics are left as they are. */
  public int getPartitions() {
    return partitions;
  }

  public KafkaCodeQOptions setPartitions(int partitions) {
    this.partitions = atLeast("partitions", partitions, 1);
    return this;
  }

  /** Replication factor of the topics the adapter creates. */
  public short getReplicationFactor() {
    return replicationFactor;
  }

  public KafkaCodeQOptions setReplicationFactor(int replicationFactor) {
    if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
      throw new IllegalArgumentException("replicationFactor must be between 1 and "
          + Short.MAX_VALUE);
    }
    this.replicationFactor = (short) replicationFactor;
    return this;
  }

  /**
   * See {@link KafkaCodeQDefaults#DEFAULT_OPERATION_TIMEOUT_MS}; also the clients'
   * {@code default.api.timeout.ms}.
   */
  public int getOperationTimeoutMs() {
    return operationTimeoutMs;
  }

  public KafkaCodeQOptions setOperationTimeoutMs(int operationTimeoutMs) {
    this.operationTimeoutMs = atLeast("operationTimeoutMs", operationTimeoutMs, 1);
    return this;
  }

  /** How long {@link KafkaCodeQ#ping()} waits for the cluster to answer. */
  public int getPingTimeoutMs() {
    return pingTimeoutMs;
  }

  public KafkaCodeQOptions setPingTimeoutMs(int pingTimeoutMs) {
    this.pingTimeoutMs = atLeast("pingTimeoutMs", pingTimeoutMs, 1);
    return this;
  }

  /**
   * Extra Kafka client settings applied to the producer, the consumers and the admin client
   * (typically {@code security.protocol}, {@code sasl.*}, {@code ssl.*}). Settings the adapter
   * manages (see {@link KafkaClientConfigs#MANAGED}) are refused: they have their own option or
   * are fixed for the port's guarantees.
   */
  public Map<String, String> getClientProperties() {
    return Collections.unmodifiableMap(clientProperties);
  }

  public KafkaCodeQOptions setClientProperties(Map<String, String> clientProperties) {
    Objects.requireNonNull(clientProperties, "clientProperties");
    for (String key : clientProperties.keySet()) {
      if (KafkaClientConfigs.MANAGED.contains(key)) {
        throw new IllegalArgumentException("clientProperties must not set " + key
            + ": the adapter manages it (see KafkaCodeQOptions)");
      }
    }
    this.clientProperties = new LinkedHashMap<>(clientProperties);
    return this;
  }

  private static int atLeast(String name, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(name + " must be at least " + minimum);
    }
    return value;
  }
}
