package io.codesous.codeq.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A single-node Kafka (KRaft, broker and controller in one) inside the test JVM, on free
 * loopback ports. One per JVM: started on first use, shared by every Kafka test, stopped when the
 * JVM exits. Each test uses topics and groups of its own, so sharing is safe.
 */
public final class KafkaTestBroker {

  private static KafkaTestBroker shared;

  private final Path directory;
  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Duration startupTime;

  private KafkaTestBroker() throws Exception {
    long started = System.nanoTime();
    directory = Files.createTempDirectory("codeq-kafka-");
    int brokerPort = freePort();
    int controllerPort = freePort();
    bootstrapServers = "127.0.0.1:" + brokerPort;

    Properties settings = new Properties();
    settings.put("process.roles", "broker,controller");
    settings.put("node.id", "1");
    settings.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    settings.put("listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    settings.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    settings.put("controller.listener.names", "CONTROLLER");
    settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    settings.put("inter.broker.listener.name", "PLAINTEXT");
    settings.put("log.dirs", directory.resolve("data").toString());
    // one node: every internal topic with a single replica
    settings.put("offsets.topic.replication.factor", "1");
    settings.put("offsets.topic.num.partitions", "4");
    settings.put("transaction.state.log.replication.factor", "1");
    settings.put("transaction.state.log.min.isr", "1");
    settings.put("share.coordinator.state.topic.replication.factor", "1");
    settings.put("share.coordinator.state.topic.min.isr", "1");
    // a new group starts at once instead of waiting 3 s for more members
    settings.put("group.initial.rebalance.delay.ms", "0");
    // the adapter must create its topics itself
    settings.put("auto.create.topics.enable", "false");
    KafkaConfig config = new KafkaConfig(settings);

    new Formatter()
        .setClusterId(Uuid.randomUuid().toString())
        .setNodeId(1)
        .setControllerListenerName("CONTROLLER")
        .setMetadataLogDirectory(config.metadataLogDir())
        .setDirectories(List.of(directory.resolve("data").toString()))
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .run();

    server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    awaitReady();
    startupTime = Duration.ofNanos(System.nanoTime() - started);
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "codeq-kafka-test-broker-stop"));
  }

  public static synchronized KafkaTestBroker shared() {
    if (shared == null) {
      try {
        shared = new KafkaTestBroker();
      } catch (Exception e) {
        throw new IllegalStateException("the test Kafka broker did not start", e);
      }
      System.out.println("test Kafka broker at " + shared.bootstrapServers + " started in "
          + shared.startupTime.toMillis() + " ms");
    }
    return shared;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * The adapter's defaults, except what makes group changes fast enough for tests: a short
   * session (the broker's minimum) and frequent heartbeats, through which members learn that a
   * rebalance started.
   */
  KafkaCodeQOptions options() {
    return new KafkaCodeQOptions()
        .setBootstrapServers(bootstrapServers)
        .setSessionTimeoutMs(6_000)
        .setHeartbeatIntervalMs(200);
  }

  Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  private void awaitReady() throws Exception {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
    }
  }

  private void stop() {
    server.shutdown();
    server.awaitShutdown();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
