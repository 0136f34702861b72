package io.codesous.codeq.kafka;

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
 */
public class KafkaCodeQOptions {

  /** A broker on this host, as in Kafka's own quickstart. */
  public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";

  /** Client ids start with this, so broker logs and quotas can tell code-sous clients apart. */
  public static final String DEFAULT_CLIENT_ID_PREFIX = "code-sous";

  /**
   * Send at once. Kafka 4 clients wait 5 ms by default to fill batches; on the invoke path every
   * request waits for its publish, so those milliseconds would be added to each invocation's
   * latency. Batching still happens while earlier requests are in flight.
   */
  public static final int DEFAULT_LINGER_MS = 0;

  /**
   * Upper bound on how long a publish may take, retries included. Shorter than Kafka's 120 s
   * default: the gateway waits at most 60 s for a result, so a publish that succeeds later than
   * that helps nobody, while an early failure can be answered with 503.
   */
  public static final int DEFAULT_DELIVERY_TIMEOUT_MS = 30_000;

  /**
   * How long one request to a broker may take before it is retried (all clients). Below the
   * delivery timeout so that a publish gets several attempts within it.
   */
  public static final int DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

  /**
   * Kafka's default. A subscription never polls more than its free credits allow to be handed
   * out, so each subscription uses the smaller of this and its {@code maxInFlight}.
   */
  public static final int DEFAULT_MAX_POLL_RECORDS = 500;

  /**
   * Kafka 4's default: how long a consumer may go silent (crash, network partition) before its
   * partitions go to the other members. A consumer that closes leaves the group at once instead.
   */
  public static final int DEFAULT_SESSION_TIMEOUT_MS = 45_000;

  /** Kafka's default; must be well below the session timeout (a third is customary). */
  public static final int DEFAULT_HEARTBEAT_INTERVAL_MS = 3_000;

  /**
   * How often completed offsets are committed while consuming. A member that dies redelivers at
   * most what was acknowledged since its last commit, so this bounds duplicates after a crash;
   * one small commit per second per subscription costs the broker nothing noticeable.
   */
  public static final int DEFAULT_COMMIT_INTERVAL_MS = 1_000;

  /**
   * How long a member that loses a partition in a rebalance waits for its handlers to finish the
   * messages of that partition they are working on before handing it over. Long enough for most
   * invocations to finish (so they are not run twice), short enough that a scale-out does not
   * stall the moving partitions for long.
   */
  public static final int DEFAULT_REVOCATION_GRACE_MS = 10_000;

  /**
   * Partitions of a topic the adapter creates: the most members of one group that can consume it
   * in parallel. Eight covers a small invoker fleet; raise it before scaling beyond (adding
   * partitions later moves keys between partitions).
   */
  public static final int DEFAULT_PARTITIONS = 8;

  /**
   * Replicas of a topic the adapter creates. One fits a single broker; a production cluster
   * should use 3 (with the broker's {@code min.insync.replicas=2}) so that {@code acks=all}
   * survives the loss of a broker.
   */
  public static final short DEFAULT_REPLICATION_FACTOR = 1;

  /**
   * Bound on administrative round trips: creating a topic, joining the group on subscribe,
   * committing and leaving the group on close.
   */
  public static final int DEFAULT_OPERATION_TIMEOUT_MS = 30_000;

  /** A health check must answer quickly; a broker that needs longer counts as unavailable. */
  public static final int DEFAULT_PING_TIMEOUT_MS = 2_000;

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
    setBootstrapServers(json.getString("bootstrapServers", DEFAULT_BOOTSTRAP_SERVERS));
    setClientIdPrefix(json.getString("clientIdPrefix", DEFAULT_CLIENT_ID_PREFIX));
    setLingerMs(json.getInteger("lingerMs", DEFAULT_LINGER_MS));
    setDeliveryTimeoutMs(json.getInteger("deliveryTimeoutMs", DEFAULT_DELIVERY_TIMEOUT_MS));
    setRequestTimeoutMs(json.getInteger("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS));
    setMaxPollRecords(json.getInteger("maxPollRecords", DEFAULT_MAX_POLL_RECORDS));
    setSessionTimeoutMs(json.getInteger("sessionTimeoutMs", DEFAULT_SESSION_TIMEOUT_MS));
    setHeartbeatIntervalMs(json.getInteger("heartbeatIntervalMs", DEFAULT_HEARTBEAT_INTERVAL_MS));
    setCommitIntervalMs(json.getInteger("commitIntervalMs", DEFAULT_COMMIT_INTERVAL_MS));
    setRevocationGraceMs(json.getInteger("revocationGraceMs", DEFAULT_REVOCATION_GRACE_MS));
    setPartitions(json.getInteger("partitions", DEFAULT_PARTITIONS));
    setReplicationFactor(json.getInteger("replicationFactor", (int) DEFAULT_REPLICATION_FACTOR));
    setOperationTimeoutMs(json.getInteger("operationTimeoutMs", DEFAULT_OPERATION_TIMEOUT_MS));
    setPingTimeoutMs(json.getInteger("pingTimeoutMs", DEFAULT_PING_TIMEOUT_MS));
    Map<String, String> properties = new LinkedHashMap<>();
    json.getJsonObject("clientProperties", new JsonObject())
        .forEach(entry -> properties.put(entry.getKey(), String.valueOf(entry.getValue())));
    setClientProperties(properties);
  }

  public JsonObject toJson() {
    JsonObject properties = new JsonObject();
    clientProperties.forEach(properties::put);
    return new JsonObject()
        .put("bootstrapServers", bootstrapServers)
        .put("clientIdPrefix", clientIdPrefix)
        .put("lingerMs", lingerMs)
        .put("deliveryTimeoutMs", deliveryTimeoutMs)
        .put("requestTimeoutMs", requestTimeoutMs)
        .put("maxPollRecords", maxPollRecords)
        .put("sessionTimeoutMs", sessionTimeoutMs)
        .put("heartbeatIntervalMs", heartbeatIntervalMs)
        .put("commitIntervalMs", commitIntervalMs)
        .put("revocationGraceMs", revocationGraceMs)
        .put("partitions", partitions)
        .put("replicationFactor", (int) replicationFactor)
        .put("operationTimeoutMs", operationTimeoutMs)
        .put("pingTimeoutMs", pingTimeoutMs)
        .put("clientProperties", properties);
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

  /** Producer {@code linger.ms}; see {@link #DEFAULT_LINGER_MS}. */
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

  /** How often a subscription commits its completed offsets; see {@link #DEFAULT_COMMIT_INTERVAL_MS}. */
  public int getCommitIntervalMs() {
    return commitIntervalMs;
  }

  public KafkaCodeQOptions setCommitIntervalMs(int commitIntervalMs) {
    this.commitIntervalMs = atLeast("commitIntervalMs", commitIntervalMs, 1);
    return this;
  }

  /** See {@link #DEFAULT_REVOCATION_GRACE_MS}; 0 hands partitions over at once. */
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

  /** See {@link #DEFAULT_OPERATION_TIMEOUT_MS}; also the clients' {@code default.api.timeout.ms}. */
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
