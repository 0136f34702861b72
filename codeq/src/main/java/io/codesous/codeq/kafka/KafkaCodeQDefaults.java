package io.codesous.codeq.kafka;

/**
 * The defaults of {@link KafkaCodeQOptions}, each with the reason it has its value.
 */
public final class KafkaCodeQDefaults {

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

  private KafkaCodeQDefaults() {
  }
}
