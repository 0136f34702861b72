package io.codesous.bench;

import io.codesous.runtime.ExecutionLimits;
import io.codesous.runtime.ExecutionRequest;
import io.codesous.runtime.ExecutionResult;
import io.codesous.runtime.ExecutionStatus;
import io.codesous.runtime.HostBindings;
import io.codesous.runtime.InvocationInfo;
import io.codesous.runtime.JsRuntime;
import io.codesous.runtime.RuntimeOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * A real npm bundle in the sandbox: {@code bundles/dist/popular.mjs} (date-fns, zod, hono, jose and uuid, about
 * 1.3 MB) executed through {@link JsRuntime} directly, for each isolation mode, next to Node.js running the same
 * bundle on the same machine ({@code bench/node-bundle.mjs}).
 *
 * <pre>
 * bash bundles/build.sh &amp;&amp; mvn -B -q -DskipTests -pl bench -am package
 * java -cp bench/target/bench.jar io.codesous.bench.BundleBenchmark --bundle bundles/dist/popular.mjs
 *     [--warmup 20] [--duration 10] [--threads 1,2] [--modes strict,warm] [--node bench/node-bundle.mjs]
 *     [--compiler-nice 10]
 * </pre>
 *
 * For each mode, on its own runtime:
 * <ul>
 *   <li><b>first invoke, cold JVM / warm JVM</b>: the first activation of a version the runtime has never seen,
 *       once right after the runtime starts and once after the measured windows (a new version: the bundle with a
 *       comment appended, so no parsed code can be shared with the earlier one). The second is what a publish on a
 *       running invoker costs;</li>
 *   <li><b>first invoke after prepare</b>: a third version announced with {@link JsRuntime#prepare} as a publish
 *       does, then its first activation once the preparation reported a ready context;</li>
 *   <li><b>act/s, p50, p99</b>: activations of one version in a closed loop on N threads after a warm-up.</li>
 * </ul>
 */
public final class BundleBenchmark {

  private static final String USAGE = "usage: BundleBenchmark --bundle FILE [--warmup SECONDS] [--duration SECONDS] "
      + "[--threads 1,2] [--modes strict,warm] [--node SCRIPT|none] [--prepare-modules true|false] [--pace-ms N] "
      + "[--compiler-nice N]";
  /** The same event as bench/node-bundle.mjs sends. */
  static final String EVENT = "{\"httpMethod\":\"GET\",\"path\":\"/v1/web/bench/default/popular/prod/orders/7\","
      + "\"proxyPath\":\"/orders/7\",\"headers\":{\"host\":\"127.0.0.1\"},\"queryStringParameters\":{\"customer\":"
      + "\"ada\",\"days\":\"5\",\"locale\":\"de\"},\"body\":null,\"isBase64Encoded\":false}";
  private static final long TIMEOUT_MS = 30_000;

  private BundleBenchmark() {
  }

  private record Options(Path bundle, Duration warmup, Duration measured, List<Integer> threads, List<String> modes,
                         String node, boolean prepareModules, long paceMs, int compilerNice) {

    static Options parse(String[] args) {
      Path bundle = null;
      Duration warmup = Duration.ofSeconds(20);
      Duration measured = Duration.ofSeconds(10);
      List<Integer> threads = List.of(1, 2);
      List<String> modes = List.of("strict", "warm");
      String node = "bench/node-bundle.mjs";
      boolean prepareModules = RuntimeOptions.DEFAULT_PREPARE_MODULES;
      long paceMs = 0;
      int compilerNice = RuntimeOptions.DEFAULT_COMPILER_NICE;
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(USAGE);
        }
        String value = args[++i];
        switch (name) {
          case "--bundle" -> bundle = Path.of(value);
          case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(value));
          case "--duration" -> measured = Duration.ofSeconds(Long.parseLong(value));
          case "--threads" -> threads = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
          case "--modes" -> modes = List.of(value.split(","));
          case "--node" -> node = value;
          case "--prepare-modules" -> prepareModules = Boolean.parseBoolean(value);
          case "--pace-ms" -> paceMs = Long.parseLong(value);
          case "--compiler-nice" -> compilerNice = Integer.parseInt(value);
          default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
        }
      }
      if (bundle == null) {
        throw new IllegalArgumentException("--bundle is required\n" + USAGE);
      }
      for (String mode : modes) {
        if (!List.of("strict", "warm").contains(mode)) {
          throw new IllegalArgumentException("unknown mode " + mode + "\n" + USAGE);
        }
      }
      return new Options(bundle, warmup, measured, threads, modes, node, prepareModules, paceMs, compilerNice);
    }
  }

  private record Row(String mode, int threads, double perSecond, double p50Ms, double p99Ms, long failed) {
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    byte[] source = Files.readAllBytes(options.bundle());
    Runtime jvm = Runtime.getRuntime();
    System.out.printf("machine: %d cores, java %s (%s), max heap %d MiB%n", jvm.availableProcessors(),
        System.getProperty("java.version"), System.getProperty("java.vm.name"), jvm.maxMemory() >> 20);
    System.out.printf("bundle: %s, %d bytes; warm-up %d s per mode, measured %d s per thread count; "
        + "prepareModules %s; pace %s; compilerNice %d%n", options.bundle(), source.length,
        options.warmup().toSeconds(), options.measured().toSeconds(), options.prepareModules(),
        options.paceMs() > 0 ? "one activation per " + options.paceMs() + " ms per thread" : "none (closed loop)",
        options.compilerNice());
    List<Row> rows = new ArrayList<>();
    List<String> firsts = new ArrayList<>();
    int maxThreads = options.threads().stream().max(Integer::compare).orElse(1);
    for (String mode : options.modes()) {
      String isolation = mode.equals("warm") ? ExecutionRequest.ISOLATION_WARM : ExecutionRequest.ISOLATION_STRICT;
      try (JsRuntime runtime = new JsRuntime(new RuntimeOptions().setPrepareModules(options.prepareModules())
          .setCompilerNice(options.compilerNice()))) {
        Version first = Version.of(source, mode, 1);
        firsts.add(String.format("%-8s first invoke, cold JVM: %s", mode, first.firstInvoke(runtime, isolation)));
        System.err.printf("%s: warming up for %d s on %d threads%n", mode, options.warmup().toSeconds(), maxThreads);
        run(runtime, first, isolation, maxThreads, options.warmup(), 0);
        for (int threads : options.threads()) {
          System.err.printf("%s: measuring %d s on %d threads%n", mode, options.measured().toSeconds(), threads);
          run(runtime, first, isolation, threads, Duration.ofSeconds(2), options.paceMs());
          Measurement m = run(runtime, first, isolation, threads, options.measured(), options.paceMs());
          rows.add(new Row(mode, threads, m.count / (options.measured().toNanos() / 1e9),
              m.latencies.getValueAtPercentile(50) / 1e6, m.latencies.getValueAtPercentile(99) / 1e6, m.failed));
        }
        Version second = Version.of(source, mode, 2);
        firsts.add(String.format("%-8s first invoke, warm JVM: %s", mode, second.firstInvoke(runtime, isolation)));
        // A version announced as it is published: JsRuntime.prepare, then its first activation.
        Version third = Version.of(source, mode, 3);
        long preparing = System.nanoTime();
        runtime.prepare(third.request(isolation, 0)).toCompletableFuture().join();
        long preparedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - preparing);
        firsts.add(String.format("%-8s first invoke, warm JVM, after prepare (%d ms): %s", mode, preparedMs,
            third.firstInvoke(runtime, isolation)));
      }
    }
    System.out.printf("%-8s %7s %12s %9s %9s %7s%n", "mode", "threads", "act/s", "p50 ms", "p99 ms", "failed");
    for (Row row : rows) {
      System.out.printf("%-8s %7d %12.1f %9.3f %9.3f %7d%n", row.mode(), row.threads(), row.perSecond(), row.p50Ms(),
          row.p99Ms(), row.failed());
    }
    firsts.forEach(System.out::println);
    System.out.println("node: " + node(options));
  }

  /** One published version of the bundle: its own bundle id and content. */
  private record Version(String bundleId, Map<String, byte[]> files, long number) {

    static Version of(byte[] source, String mode, long number) {
      // A comment makes each version's content (and so its parsed code) its own, as a real new version's is.
      byte[] content = (new String(source, StandardCharsets.UTF_8) + "\n// version " + number + " of " + mode + "\n")
          .getBytes(StandardCharsets.UTF_8);
      return new Version("popular-" + mode + "-v" + number, Map.of("index.mjs", content), number);
    }

    ExecutionRequest request(String isolation, long n) {
      InvocationInfo info = new InvocationInfo("act-" + n, "req-" + n, "bench", "default", "popular", number, "http",
          null);
      return new ExecutionRequest(bundleId, files, "index.mjs", EVENT, info, TIMEOUT_MS, ExecutionLimits.DEFAULTS,
          isolation, HostBindings.NONE);
    }

    String firstInvoke(JsRuntime runtime, String isolation) {
      long began = System.nanoTime();
      ExecutionResult result = runtime.execute(request(isolation, 0));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
      return ms + " ms (" + result.status() + (result.status() == ExecutionStatus.SUCCESS ? ""
          : ": " + result.errorMessage()) + ")";
    }
  }

  private static final class Measurement {
    final Histogram latencies = new Histogram(3);
    long count;
    long failed;
  }

  /**
   * A closed loop on {@code threads} threads; with {@code paceMs > 0} each thread starts an activation at most every
   * {@code paceMs} (a load below saturation, where work done ahead of the activation can keep up).
   */
  private static Measurement run(JsRuntime runtime, Version version, String isolation, int threads,
                                 Duration duration, long paceMs) throws InterruptedException {
    long endNanos = System.nanoTime() + duration.toNanos();
    AtomicLong sequence = new AtomicLong();
    List<Measurement> perThread = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      Measurement mine = new Measurement();
      perThread.add(mine);
      Thread worker = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        long next = System.nanoTime();
        while (System.nanoTime() - endNanos < 0) {
          if (paceMs > 0) {
            long waitNanos = next - System.nanoTime();
            if (waitNanos > 0) {
              try {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
              } catch (InterruptedException e) {
                return;
              }
            }
            next = Math.max(next, System.nanoTime()) + TimeUnit.MILLISECONDS.toNanos(paceMs);
          }
          long began = System.nanoTime();
          ExecutionResult result = runtime.execute(version.request(isolation, sequence.incrementAndGet()));
          mine.latencies.recordValue(System.nanoTime() - began);
          mine.count++;
          if (result.status() != ExecutionStatus.SUCCESS) {
            if (mine.failed++ == 0) {
              System.err.println("failed: " + result.status() + " " + result.errorMessage());
            }
          }
        }
      }, "bench-worker-" + t);
      workers.add(worker);
      worker.start();
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    Measurement merged = new Measurement();
    for (Measurement m : perThread) {
      merged.latencies.add(m.latencies);
      merged.count += m.count;
      merged.failed += m.failed;
    }
    return merged;
  }

  /** Node.js running the same bundle, as one JSON line from the reference script; or why it could not. */
  private static String node(Options options) throws InterruptedException {
    if (options.node().equals("none")) {
      return "not run (--node none)";
    }
    try {
      Process process = new ProcessBuilder("node", options.node(), options.bundle().toString(),
          Long.toString(Math.min(options.warmup().toSeconds(), 10)), Long.toString(options.measured().toSeconds()))
          .redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      int exit = process.waitFor();
      return exit == 0 ? output : "failed (exit " + exit + "): " + output;
    } catch (IOException e) {
      return "not available: " + e.getMessage();
    }
  }
}
