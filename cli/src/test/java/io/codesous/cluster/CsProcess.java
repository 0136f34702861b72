package io.codesous.cluster;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code cs server} process started from this test's class path, with its own configuration
 * file; it can be killed the hard way ({@code kill -9}).
 */
final class CsProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final int httpPort;
  private final Path log;

  private CsProcess(String name, Process process, int httpPort, Path log) {
    this.name = name;
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  static CsProcess start(String name, Path dir, String yaml, int httpPort, String components) throws IOException {
    Path config = dir.resolve(name + ".yaml");
    Files.writeString(config, yaml);
    Path log = dir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.codesous.cli.Cs");
    command.add("server");
    command.add("--config");
    command.add(config.toString());
    command.add("--components");
    command.add(components);
    command.add("--port");
    command.add(Integer.toString(httpPort));
    command.add("--data-dir");
    command.add(dir.resolve(name + "-data").toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new CsProcess(name, process, httpPort, log);
  }

  /** One API call with the operator's token; a JSON body when {@code body} is not null. */
  static HttpResponse<String> send(HttpClient http, String token, String method, String url, JsonObject body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("authorization", "Bearer " + token);
    if (body != null) {
      b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  String name() {
    return name;
  }

  String base() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** Waits until {@code /readyz} answers 200; fails with the process's log when it does not. */
  void awaitReady(HttpClient http, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited:\n" + Files.readString(log));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/readyz"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(name + " not ready in " + timeout + ":\n" + Files.readString(log));
  }

  /** SIGKILL: no shutdown hook runs, nothing is acknowledged or committed on the way out. */
  void killHard() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * SIGTERM, as a service manager stops the server: its shutdown hook drains and closes the stores. Waits up to
   * {@code timeout} and returns the exit status (143 is a JVM that ran its shutdown hooks after SIGTERM).
   */
  int stopCleanly(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " did not stop within " + timeout);
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
