package io.codesous.bench;

import io.codesous.platform.PlatformDefaults;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Measures what the platform costs per HTTP request, shape by shape: the same loads against a bare
 * Vert.x server and against a published function of each shape of the platform. Prints a table to
 * stdout; progress and problems go to stderr.
 */
public final class HttpBenchmark {

  static final String BASELINE_TARGET = "bare-vertx";

  private static final String HOST = "127.0.0.1";
  private static final long STEP_TIMEOUT_SECONDS = 120;
  private static final Duration FIRST_ANSWER_PATIENCE = Duration.ofSeconds(120);
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private final BenchOptions options;
  /** Names this run's tenants, so that its Redis keys collide with no other run's. */
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final ResultTable table = new ResultTable();
  /** Other work on the machine shows up in the numbers; the report says how much there was. */
  private final double loadAverageAtStart = loadAverage();

  private HttpBenchmark(BenchOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    int status;
    try {
      status = new HttpBenchmark(options).run();
    } catch (Exception e) {
      System.err.println("benchmark failed: " + e);
      e.printStackTrace();
      status = 1;
    }
    // Explicit, because a library thread left behind must not keep a finished benchmark alive.
    System.exit(status);
  }

  private int run() throws Exception {
    Path runDir = Files.createTempDirectory("code-sous-bench-");
    // The load generator's own event loops, so the servers' loops serve requests only.
    Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(CORES));
    SharedBackends backends = null;
    try {
      if (options.needsSharedBackends()) {
        backends = startSharedBackends(clientVertx);
      }
      LoadRunner load = new LoadRunner(clientVertx, CORES, HOST, options.warmup(), options.measured());
      measureBaseline(load);
      ShapeLauncher launcher = new ShapeLauncher(HOST, runDir, backends);
      for (Shape shape : options.shapes()) {
        measureShape(shape, launcher, backends, load, clientVertx);
      }
      printReport(backends);
      return table.anythingFailed() ? 1 : 0;
    } finally {
      if (backends != null) {
        backends.close();
      }
      awaitQuietly("closing the client Vert.x", clientVertx.close());
      if (!table.allClean()) {
        System.err.println("logs and configuration of this run kept in " + runDir);
      } else {
        deleteRecursively(runDir);
      }
    }
  }

  /** Null when they are unavailable: the shapes that need them are then reported as not run. */
  private SharedBackends startSharedBackends(Vertx clientVertx) {
    System.err.println("starting the Kafka broker, connecting to Redis at " + options.redisUri());
    try {
      return SharedBackends.start(clientVertx, options.redisUri());
    } catch (Exception e) {
      System.err.println("Redis or Kafka unavailable: " + e);
      return null;
    }
  }

  private void measureBaseline(LoadRunner load) throws Exception {
    Vertx serverVertx = Vertx.vertx();
    try {
      int port = FreePort.pick();
      serverVertx.deployVerticle(() -> new BareHttpServer(HOST, port),
              new DeploymentOptions().setInstances(PlatformDefaults.DEFAULT_HTTP_INSTANCES))
          .await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      for (LoadMode mode : options.loadModes()) {
        // the bare server checks nothing, so it gets no Authorization header to parse
        table.add(load.run(BASELINE_TARGET, port, "/", null, mode));
      }
    } finally {
      awaitQuietly("closing the baseline's Vert.x", serverVertx.close());
    }
  }

  /**
   * One shape from start to stop: only one shape runs at a time, so none takes CPU from another.
   * A shape that fails is reported and the run goes on with the next.
   */
  private void measureShape(Shape shape, ShapeLauncher launcher, SharedBackends backends, LoadRunner load,
                            Vertx clientVertx) {
    // a tenant per shape: the Redis shapes share one Redis, and each publishes the same function
    String tenant = "bench-" + runId + "-" + shape.label();
    System.err.println("starting shape " + shape.label() + " (tenant " + tenant + ")");
    RunningShape running = null;
    try {
      running = launcher.start(shape);
      CharSequence authorization = BearerToken.headerValue(running.token());
      String uri = publishFunction(clientVertx, running.port(), tenant, authorization);
      boolean clean = true;
      for (LoadMode mode : options.loadModes()) {
        RunResult result = load.run(shape.label(), running.port(), uri, authorization, mode);
        table.add(result);
        clean &= result.clean();
      }
      if (!clean && !running.diagnostics().isEmpty()) {
        System.err.println(shape.label() + " did not answer every request with 2xx; its logs:\n" + running.diagnostics());
      }
    } catch (Exception e) {
      table.addMissing(shape.label(), String.valueOf(e.getMessage()));
      System.err.println("shape " + shape.label() + " failed: " + e.getMessage());
      if (running != null) {
        System.err.println(running.diagnostics());
      }
    } finally {
      if (running != null) {
        running.close();
      }
      if (shape.usesSharedBackends() && backends != null) {
        deleteTenant(backends, tenant);
      }
    }
  }

  /** Publishes the function and waits for its first answer; returns the URI that invokes it. */
  private static String publishFunction(Vertx clientVertx, int port, String tenant, CharSequence authorization)
      throws Exception {
    HttpClientAgent client = clientVertx.createHttpClient();
    try {
      HelloFunction function = new HelloFunction(clientVertx, client, HOST, port, tenant, authorization);
      function.publish().await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      function.awaitFirstAnswer(FIRST_ANSWER_PATIENCE).await(STEP_TIMEOUT_SECONDS + FIRST_ANSWER_PATIENCE.toSeconds(),
          TimeUnit.SECONDS);
      return function.invokeUri();
    } finally {
      client.close().await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  private static void deleteTenant(SharedBackends backends, String tenant) {
    try {
      long deleted = backends.deleteTenant(tenant);
      System.err.println("deleted " + deleted + " Redis keys of tenant " + tenant);
    } catch (Exception e) {
      System.err.println("could not delete the Redis keys of tenant " + tenant + ": " + e);
    }
  }

  private void printReport(SharedBackends backends) {
    System.out.println(machineFacts());
    if (backends != null) {
      System.out.println(backends.describe());
      System.out.println("kafka client settings (KafkaCodeQOptions of single and split): "
          + backends.kafkaSettings().encode());
    }
    System.out.println(shapeFacts());
    table.print(System.out, options.loadModes(), options.shapes());
  }

  private String machineFacts() {
    return String.format(Locale.ROOT, "machine: %d cores (%s), %s %s, java %s (%s), benchmark JVM max heap %d MiB, "
            + "load average %.1f at start, %.1f at end",
        CORES, CpuModel.name(), System.getProperty("os.name"), System.getProperty("os.version"),
        System.getProperty("java.version"), System.getProperty("java.vm.name"),
        Runtime.getRuntime().maxMemory() / (1024 * 1024), loadAverageAtStart, loadAverage());
  }

  /** The system's one-minute load average; negative where the platform does not tell. */
  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private String shapeFacts() {
    StringBuilder facts = new StringBuilder("shapes:");
    for (Shape shape : options.shapes()) {
      facts.append(switch (shape) {
        case EMBEDDED -> " embedded = Platform in the benchmark's JVM, in-memory KV, in-JVM queue;";
        case EMBEDDED_DISK -> " emb-disk = embedded with the KV on disk (RocksDB, as cs server runs it);";
        case SINGLE -> " single = Platform in the benchmark's JVM, all components, Redis KV, Kafka queue;";
        case SPLIT -> " split = child JVMs (" + String.join(" ", ServerProcess.JVM_OPTIONS)
            + ") control+gateway and invoker, Hazelcast cluster on loopback, Redis KV, Kafka queue;";
      });
    }
    facts.setLength(facts.length() - 1);
    return facts.toString();
  }

  private static void awaitQuietly(String step, Future<?> future) {
    try {
      future.await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println(step + " failed: " + e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
