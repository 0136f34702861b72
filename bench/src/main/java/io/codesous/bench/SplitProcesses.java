package io.codesous.bench;

import io.codesous.auth.token.LocalSigningKey;
import io.codesous.platform.BackendNames;
import io.codesous.platform.Components;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The split shape: one child process with the control API and the gateway, one with the invoker,
 * both over the shared Redis and Kafka, joined in a Hazelcast cluster (TCP join on loopback) whose
 * event bus carries each result back to the waiting gateway.
 *
 * <p>Both processes use one data directory, as processes of one deployment must: the signing key
 * that tokens are verified with and the key secrets are encrypted with are created there by
 * whichever process gets there first, and the other one uses them. The admin token the benchmark
 * sends is read from that directory once both processes are ready.
 */
final class SplitProcesses implements RunningShape {

  /** JVM start, Hazelcast join and the first Redis and Kafka round trips, on a busy machine. */
  private static final Duration READY_PATIENCE = Duration.ofSeconds(120);

  private final ServerProcess gateway;
  private final List<ServerProcess> processes;
  private final String token;

  private SplitProcesses(ServerProcess gateway, List<ServerProcess> processes, String token) {
    this.gateway = gateway;
    this.processes = processes;
    this.token = token;
  }

  static SplitProcesses start(String host, Path dir, SharedBackends backends) throws Exception {
    Files.createDirectories(dir);
    Path dataDir = dir.resolve("data");
    int gatewayClusterPort = FreePort.pick();
    int invokerClusterPort = FreePort.pick();
    JsonArray members = new JsonArray().add(host + ":" + gatewayClusterPort).add(host + ":" + invokerClusterPort);
    List<ServerProcess> started = new ArrayList<>();
    try {
      ServerProcess gateway = ServerProcess.start("gateway", dir,
          config(host, dataDir, dir.resolve("gateway-audit.jsonl"), backends, gatewayClusterPort, members),
          Components.CONTROL + "," + Components.GATEWAY);
      started.add(gateway);
      started.add(ServerProcess.start("invoker", dir,
          config(host, dataDir, dir.resolve("invoker-audit.jsonl"), backends, invokerClusterPort, members),
          Components.INVOKER));
      HttpClient http = HttpClient.newHttpClient();
      for (ServerProcess process : started) {
        process.awaitReady(http, READY_PATIENCE);
      }
      return new SplitProcesses(gateway, List.copyOf(started), readAdminToken(dataDir));
    } catch (Exception e) {
      SplitProcesses partial = new SplitProcesses(null, List.copyOf(started), null);
      String logs = partial.diagnostics();
      partial.close();
      throw new IllegalStateException(e.getMessage() + "\n" + logs, e);
    }
  }

  /**
   * The token the processes left in the shared data directory. Read once both are ready: by then
   * neither writes it any more, and whichever wrote it last signed it with the shared key.
   */
  private static String readAdminToken(Path dataDir) throws IOException {
    Path file = dataDir.resolve(LocalSigningKey.ADMIN_TOKEN_FILE);
    if (!Files.exists(file)) {
      throw new IllegalStateException("no admin token in " + file + " although both processes are ready");
    }
    String token = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (token.isEmpty()) {
      throw new IllegalStateException(file + " is empty");
    }
    return token;
  }

  /**
   * A process's configuration file: every setting the shape depends on, the rest left at defaults.
   * The audit log is the one file of the data directory a process must not share (one writer per
   * file), so each process gets its own.
   */
  private static JsonObject config(String host, Path dataDir, Path auditFile, SharedBackends backends,
                                   int clusterPort, JsonArray members) {
    return new JsonObject()
        .put("host", host)
        .put("port", FreePort.pick())
        .put("dataDir", dataDir.toString())
        .put("audit", new JsonObject().put("file", auditFile.toString()))
        .put("kv", new JsonObject().put("backend", BackendNames.KV_REDIS)
            .put("redis", backends.redisSettings()))
        .put("codeq", new JsonObject().put("backend", BackendNames.CODEQ_KAFKA)
            .put("kafka", backends.kafkaSettings()))
        .put("cluster", new JsonObject().put("enabled", true).put("host", host).put("port", clusterPort)
            .put("members", members));
  }

  @Override
  public int port() {
    return gateway.httpPort();
  }

  @Override
  public String token() {
    return token;
  }

  @Override
  public String diagnostics() {
    StringBuilder logs = new StringBuilder();
    processes.forEach(process -> logs.append(process.logTail()));
    return logs.toString();
  }

  @Override
  public void close() {
    // in reverse start order: the invoker first, so no result is sent to a gateway that is gone
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
  }
}
