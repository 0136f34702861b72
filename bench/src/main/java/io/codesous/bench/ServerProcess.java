package io.codesous.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code cs server} child process, started from this JVM's class path with a configuration
 * file of its own; its output goes to a log file next to that file.
 */
final class ServerProcess implements AutoCloseable {

  /** Same pre-sized heap idea as the benchmark's own JVM: early heap growth stays out of the numbers. */
  static final List<String> JVM_OPTIONS = List.of("-Xms512m", "-Xmx1g");

  private static final Duration STOP_PATIENCE = Duration.ofSeconds(15);
  private static final int LOG_TAIL_LINES = 60;

  private final String name;
  private final Process process;
  private final int httpPort;
  private final Path log;
  /** Kills the child if this JVM exits without closing it (Ctrl-C, an uncaught error). */
  private final Thread killOnExit;

  private ServerProcess(String name, Process process, int httpPort, Path log) {
    this.name = name;
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
    this.killOnExit = new Thread(process::destroyForcibly, "kill-" + name);
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /**
   * @param config     the process's configuration; JSON is YAML, so it is written as it is
   * @param components what {@code --components} names, e.g. {@code control,gateway}
   */
  static ServerProcess start(String name, Path dir, JsonObject config, String components) throws IOException {
    Path configFile = dir.resolve(name + ".yaml");
    Files.writeString(configFile, config.encodePrettily());
    Path log = dir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.addAll(jitOptions());
    command.add("-cp");
    // With `java -jar bench.jar` this is the jar alone; its manifest's Class-Path brings lib/ along.
    command.add(System.getProperty("java.class.path"));
    command.add("io.codesous.cli.Cs");
    command.add("server");
    command.add("--config");
    command.add(configFile.toString());
    command.add("--components");
    command.add(components);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ServerProcess(name, process, config.getInteger("port"), log);
  }

  int httpPort() {
    return httpPort;
  }

  /** Waits until {@code /readyz} answers 200 (its KV and queue answer a round trip). */
  void awaitReady(HttpClient http, Duration patience) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    URI readyz = URI.create("http://127.0.0.1:" + httpPort + "/readyz");
    String lastAnswer = "no answer";
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with status " + process.exitValue());
      }
      try {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          return;
        }
        lastAnswer = answer.statusCode() + " " + answer.body();
      } catch (IOException notListeningYet) {
        lastAnswer = notListeningYet.toString();
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(name + " not ready within " + patience.toSeconds() + " s; /readyz: " + lastAnswer);
  }

  /** The end of the process's log, headed by its name and where the whole log is. */
  String logTail() {
    StringBuilder tail = new StringBuilder("--- " + name + " (" + log + "), last lines:\n");
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())
          .forEach(line -> tail.append(line).append('\n'));
    } catch (IOException e) {
      tail.append("(unreadable: ").append(e).append(")\n");
    }
    return tail.toString();
  }

  /** SIGTERM, so the process leaves its consumer group and cluster cleanly; SIGKILL if it lingers. */
  @Override
  public void close() {
    try {
      process.destroy();
      if (!process.waitFor(STOP_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
        System.err.println(name + " did not stop within " + STOP_PATIENCE.toSeconds() + " s; killing it");
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException alreadyExiting) {
      // the hook runs anyway and finds the process gone
    }
  }

  /**
   * The benchmark's own JVMCI settings (scripts/cs-jit.sh, {@code bench/run.sh --jit}), so the children run
   * GraalJS with the same compiler as the shapes in the benchmark's JVM; none on a JDK without it.
   */
  static List<String> jitOptions() {
    return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.equals("-XX:+UnlockExperimentalVMOptions") || a.equals("-XX:+EnableJVMCI")
            || a.startsWith("--upgrade-module-path") || a.startsWith("--sun-misc-unsafe-memory-access")
            || a.startsWith("--enable-native-access"))
        .toList();
  }
}
