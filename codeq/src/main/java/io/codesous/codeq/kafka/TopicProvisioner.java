package io.codesous.codeq.kafka;

import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Makes sure a topic exists before it is written or read, creating it with the configured
 * partitions and replication factor. Brokers can create topics on first use too, but with their
 * own defaults (often one partition, which would leave all but one member of a group idle), and
 * consumers would not see such a topic until their next metadata refresh.
 *
 * <p>Each topic is checked once per queue instance; concurrent first uses share one creation, and
 * a failed creation is tried again on the next use.
 */
final class TopicProvisioner {

  private final KafkaAdminClient admin;
  private final int partitions;
  private final short replicationFactor;
  private final ConcurrentMap<String, Future<Void>> ensured = new ConcurrentHashMap<>();

  TopicProvisioner(KafkaAdminClient admin, int partitions, short replicationFactor) {
    this.admin = admin;
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
  }

  /**
   * Completes once {@code topic} exists. For a topic created already the answer is a future of no context, so what
   * the caller chains on it runs on the caller's thread: the creation's own future belongs to the context of the
   * first use, and chained on it every later publish went to that event loop and back (in a CPU profile of the
   * scheduler on Kafka, the publishes of four lanes' loops ran on the one whose lane first published).
   */
  Future<Void> ensure(String topic) {
    Future<Void> existing = ensured.get(topic);
    if (existing != null && existing.succeeded()) {
      return Future.succeededFuture();
    }
    if (existing != null && !existing.failed()) {
      return existing;
    }
    Future<Void> creation = ensured.compute(topic,
        (name, current) -> current == null || current.failed() ? create(name) : current);
    return creation;
  }

  private Future<Void> create(String topic) {
    return admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor)))
        .recover(failure -> KafkaFailures.unwrap(failure) instanceof TopicExistsException
            ? Future.succeededFuture()
            : Future.failedFuture(KafkaFailures.translate("creating topic " + topic, failure)));
  }
}
