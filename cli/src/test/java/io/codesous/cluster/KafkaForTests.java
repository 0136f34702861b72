package io.codesous.cluster;

import io.codesous.codeq.kafka.KafkaTestBroker;

/** The shared in-JVM Kafka broker of the codeQ tests, and the client settings cluster processes use with it. */
final class KafkaForTests implements AutoCloseable {

  private final String bootstrapServers;

  private KafkaForTests(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  static KafkaForTests start() {
    return new KafkaForTests(KafkaTestBroker.shared().bootstrapServers());
  }

  /**
   * The {@code codeq.kafka} block, indented: short session timeouts so a killed member's partitions
   * move to the survivors within seconds.
   */
  String clientSettingsYaml(String indent) {
    return String.join("\n",
        indent + "bootstrapServers: " + bootstrapServers,
        indent + "sessionTimeoutMs: 6000",
        indent + "heartbeatIntervalMs: 1000",
        indent + "commitIntervalMs: 200",
        indent + "partitions: 8");
  }

  @Override
  public void close() {
    // the broker is shared by the JVM and stops with it
  }
}
