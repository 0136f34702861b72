package io.codesous.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A configuration naming a Kafka nobody answers at stops the server with one line naming the address, and the
 * Kafka clients' own logging does not bury it.
 */
class UnreachableKafkaTest {

  /**
   * The whole output of the failed start: the signing key's two lines, the failure, and at most a few warnings of
   * the Kafka clients. The flood this guards against was tens of thousands of lines.
   */
  private static final int MAX_LINES = 20;

  @TempDir
  Path dir;

  @Test
  void theServerStopsWithOneLineNamingTheAddressAndFewLinesInAll() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    Path config = Files.writeString(dir.resolve("cs.yaml"),
        "codeq: {backend: kafka, kafka: {bootstrapServers: '127.0.0.1:" + closed + "', pingTimeoutMs: 1000}}\n");
    Path log = dir.resolve("server.log");
    Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.codesous.cli.Cs", "server",
        "--config", config.toString(), "--port", "0", "--data-dir", dir.resolve("data").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      // beyond the server's own bound, so that a start which outlasts it still ends with its message
      assertTrue(server.waitFor(ServerCommand.START_TIMEOUT.toSeconds() + 60, TimeUnit.SECONDS),
          "the server should give up on its own");
    } finally {
      server.destroyForcibly();
    }

    List<String> lines = Files.readAllLines(log);
    String all = String.join("\n", lines);
    assertEquals(1, server.exitValue(), all);
    long failures = lines.stream().filter(l -> l.startsWith("code-sous failed to start: ")).count();
    assertEquals(1, failures, all);
    assertTrue(all.contains("Kafka at 127.0.0.1:" + closed), all);
    assertTrue(lines.size() <= MAX_LINES, lines.size() + " lines:\n" + all);
  }
}
