package io.codesous.bench;

import io.codesous.runtime.ExecutionLimits;
import io.codesous.runtime.ExecutionRequest;
import io.codesous.runtime.ExecutionResult;
import io.codesous.runtime.ExecutionStatus;
import io.codesous.runtime.HostBindings;
import io.codesous.runtime.InvocationInfo;
import io.codesous.runtime.JsRuntime;
import io.codesous.runtime.RuntimeOptions;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The sandbox on its own: a hello handler executed through {@link JsRuntime} directly, on N threads in a closed
 * loop, for each isolation mode. It prints activations per second and the p50/p99 latency of
 * {@link JsRuntime#execute}; no HTTP, queue or storage is involved.
 *
 * <pre>
 * mvn -B -q -DskipTests -pl bench -am install
 * java -cp bench/target/bench.jar io.codesous.bench.SandboxBenchmark [--warmup 15] [--duration 10]
 *     [--threads 1,2] [--modes strict,prewarm,warm]
 *     [--api none|TextEncoder|Buffer|URL|crypto|Response|CompressionStream|setTimeout|node:stream|node:async_hooks|node:zlib|
 *     WebAssembly]
 * </pre>
 *
 * <ul>
 *   <li>{@code strict}: a fresh context created on the request path for every activation (no prewarming);</li>
 *   <li>{@code prewarm}: a fresh context per activation, created ahead of demand on the runtime's background
 *       thread (the default);</li>
 *   <li>{@code warm}: one context reused by sequential activations of the version ({@code isolation: "warm"}).</li>
 * </ul>
 * With {@code --api} the handler also uses one Web platform API ({@link #USES}), so that the figure includes what
 * installing it costs a fresh context: each is installed on first use, so a strict activation pays for it every
 * time.
 * Each mode gets its own runtime and a long warm-up first: without a JVMCI compiler GraalJS runs interpreted, and
 * the interpreter is Java code HotSpot compiles only after thousands of activations.
 */
public final class SandboxBenchmark {

  /** What the handler does with the API {@code --api} names; its value is the response body. */
  private static final Map<String, String> USES = Map.ofEntries(
      Map.entry("none", "'hello'"),
      Map.entry("TextEncoder", "String(new TextEncoder().encode('hello').length)"),
      Map.entry("Buffer", "Buffer.from('aGVsbG8=', 'base64').toString()"),
      Map.entry("URL", "new URL('https://example.com/a?b=hello').searchParams.get('b')"),
      Map.entry("crypto", "crypto.randomUUID()"),
      Map.entry("Response", "await new Response('hello').text()"),
      Map.entry("CompressionStream", "typeof new CompressionStream('gzip').writable"),
      Map.entry("setTimeout", "await new Promise((resolve) => setTimeout(() => resolve('hello'), 0))"),
      // a node: module evaluated on the context's first import of it
      Map.entry("node:stream", "await (async () => { for await (const chunk of (await import('node:stream'))"
          + ".Readable.from(['hello'])) { return chunk; } })()"),
      Map.entry("node:async_hooks", "await (async () => { const { AsyncLocalStorage } = await import("
          + "'node:async_hooks'); const store = new AsyncLocalStorage(); return store.run('hello', async () => {"
          + " await null; return store.getStore(); }); })()"),
      // a body gzipped and read back, as a function that answers or reads compressed data does
      Map.entry("node:zlib", "await (async () => { const zlib = await import('node:zlib'); return zlib.gunzipSync("
          + "zlib.gzipSync('hello')).toString(); })()"),
      // (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
      Map.entry("WebAssembly", "String((await WebAssembly.instantiate(new Uint8Array([0,97,115,109,1,0,0,0,1,7,1,96,"
          + "2,127,127,1,127,3,2,1,0,7,7,1,3,97,100,100,0,0,10,9,1,7,0,32,0,32,1,106,11]))).instance.exports.add(2, 40))"));

  private static final String USAGE = "usage: SandboxBenchmark [--warmup SECONDS] [--duration SECONDS] "
      + "[--threads 1,2] [--modes strict,prewarm,warm] [--api "
      + String.join("|", USES.keySet().stream().sorted().toList()) + "]";

  private static Map<String, byte[]> filesUsing(String api) {
    String source = "export async function handler(event, ctx) { return { statusCode: 200, "
        + "headers: {'content-type':'text/plain'}, body: " + USES.get(api) + " }; }";
    return Map.of("index.mjs", source.getBytes(StandardCharsets.UTF_8));
  }

  private static final String EVENT = "{\"httpMethod\":\"GET\",\"method\":\"GET\",\"path\":\"/v1/web/bench/default/"
      + "hello/prod\",\"proxyPath\":\"/\",\"headers\":{\"host\":\"127.0.0.1\"},\"queryStringParameters\":{},"
      + "\"body\":null,\"isBase64Encoded\":false}";

  private SandboxBenchmark() {
  }

  private record Options(Duration warmup, Duration measured, List<Integer> threads, List<String> modes,
                         String api) {

    static Options parse(String[] args) {
      Duration warmup = Duration.ofSeconds(15);
      Duration measured = Duration.ofSeconds(10);
      List<Integer> threads = List.of(1, 2);
      List<String> modes = List.of("strict", "prewarm", "warm");
      String api = "none";
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(USAGE);
        }
        String value = args[++i];
        switch (name) {
          case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(value));
          case "--duration" -> measured = Duration.ofSeconds(Long.parseLong(value));
          case "--threads" -> threads = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
          case "--modes" -> modes = List.of(value.split(","));
          case "--api" -> api = value;
          default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
        }
      }
      for (String mode : modes) {
        if (!List.of("strict", "prewarm", "warm").contains(mode)) {
          throw new IllegalArgumentException("unknown mode " + mode + "\n" + USAGE);
        }
      }
      if (!USES.containsKey(api)) {
        throw new IllegalArgumentException("unknown API " + api + "\n" + USAGE);
      }
      return new Options(warmup, measured, threads, modes, api);
    }
  }

  /** What one mode and thread count measured. */
  private record Row(String mode, int threads, double perSecond, double p50Ms, double p99Ms, long failed,
                     double cpuMicrosPerActivation) {
  }

  /**
   * The CPU the whole process spent (every thread: the workers, the context pool's, the JIT's and the GC's), so a
   * figure taken on a machine shared with other work still says what one activation costs.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
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
    Runtime jvm = Runtime.getRuntime();
    System.out.printf("machine: %d cores, java %s (%s), max heap %d MiB%n", jvm.availableProcessors(),
        System.getProperty("java.version"), System.getProperty("java.vm.name"), jvm.maxMemory() >> 20);
    System.out.printf("warm-up %d s per mode, measured %d s per thread count, handler using %s%n",
        options.warmup().toSeconds(), options.measured().toSeconds(), options.api());
    Map<String, byte[]> files = filesUsing(options.api());
    List<Row> rows = new ArrayList<>();
    int maxThreads = options.threads().stream().max(Integer::compare).orElse(1);
    for (String mode : options.modes()) {
      RuntimeOptions runtimeOptions = new RuntimeOptions();
      if (mode.equals("strict")) {
        runtimeOptions.setPrewarmContexts(0);
      }
      try (JsRuntime runtime = new JsRuntime(runtimeOptions)) {
        String isolation = mode.equals("warm") ? ExecutionRequest.ISOLATION_WARM : ExecutionRequest.ISOLATION_STRICT;
        System.err.printf("%s: warming up for %d s on %d threads%n", mode, options.warmup().toSeconds(), maxThreads);
        run(runtime, files, isolation, maxThreads, options.warmup());
        for (int threads : options.threads()) {
          System.err.printf("%s: measuring %d s on %d threads%n", mode, options.measured().toSeconds(), threads);
          // A short settling run at this thread count, so that the measured window starts in a steady state.
          run(runtime, files, isolation, threads, Duration.ofSeconds(2));
          long cpuBefore = processCpuNanos();
          Measurement m = run(runtime, files, isolation, threads, options.measured());
          double cpuMicros = (processCpuNanos() - cpuBefore) / 1e3 / Math.max(1, m.count);
          rows.add(new Row(mode, threads, m.count / (options.measured().toNanos() / 1e9),
              m.latencies.getValueAtPercentile(50) / 1e6, m.latencies.getValueAtPercentile(99) / 1e6, m.failed,
              cpuMicros));
        }
      }
    }
    System.out.printf("%-8s %7s %12s %9s %9s %7s %12s%n", "mode", "threads", "act/s", "p50 ms", "p99 ms", "failed",
        "cpu µs/act");
    for (Row row : rows) {
      System.out.printf("%-8s %7d %12.0f %9.3f %9.3f %7d %12.1f%n", row.mode(), row.threads(), row.perSecond(),
          row.p50Ms(), row.p99Ms(), row.failed(), row.cpuMicrosPerActivation());
    }
  }

  private static final class Measurement {
    final Histogram latencies = new Histogram(3);
    long count;
    long failed;
  }

  /** Runs the closed loop on {@code threads} threads for {@code duration}; returns the merged measurement. */
  private static Measurement run(JsRuntime runtime, Map<String, byte[]> files, String isolation, int threads,
                                 Duration duration)
      throws InterruptedException {
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
        while (System.nanoTime() - endNanos < 0) {
          long n = sequence.incrementAndGet();
          InvocationInfo info = new InvocationInfo("act-" + n, "req-" + n, "bench", "default", "hello", 1, "http",
              null);
          ExecutionRequest request = new ExecutionRequest("hello-v1", files, "index.mjs", EVENT, info, 30_000,
              ExecutionLimits.DEFAULTS, isolation, HostBindings.NONE);
          long began = System.nanoTime();
          ExecutionResult result = runtime.execute(request);
          mine.latencies.recordValue(System.nanoTime() - began);
          mine.count++;
          if (result.status() != ExecutionStatus.SUCCESS) {
            mine.failed++;
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
}
