package io.codesous.bench.store;

import io.codesous.kv.KvStore;
import io.codesous.kv.rocksdb.RocksDbKvOptions;
import io.codesous.kv.rocksdb.RocksDbKvStore;
import io.codesous.spec.kv.KvKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CPU an embedded server's on-disk store spends per activation, without HTTP or sandbox: the four store calls
 * of one synchronous invoke (the journal's write of the accepted request, the claim, the terminal compare-and-set,
 * the journal's removal), with values of the sizes a hello function's request and records have, several
 * activations at a time from one event loop as the invoker runs them. CPU is the process's (event loop, the
 * store's pool, RocksDB's own threads, JIT) over the measured activations, after a warm-up; pin it to one core
 * ({@code taskset -c 1}) to compare two builds. It prints one line; it asserts nothing.
 *
 * <pre>
 * bench/run.sh --store-cost [--warmup 40000] [--activations 100000] [--concurrency 16]
 * </pre>
 */
public final class ActivationStoreCost {

  private static final String REQUEST = "{\"request\":\"" + "r".repeat(1_100) + "\"}";
  private static final String RUNNING = "{\"status\":\"running\",\"pad\":\"" + "p".repeat(400) + "\"}";
  private static final String ENDED = "{\"status\":\"success\",\"pad\":\"" + "p".repeat(450) + "\"}";

  private ActivationStoreCost() {
  }

  public static void main(String[] args) throws Exception {
    int warmup = 40_000;
    int activations = 100_000;
    int concurrency = 16;
    int threads = RocksDbKvOptions.DEFAULT_THREADS;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        case "--activations" -> activations = Integer.parseInt(args[i + 1]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path directory = Files.createTempDirectory("cs-store-cost");
    Vertx vertx = Vertx.vertx();
    KvStore kv = new RocksDbKvStore(vertx, new RocksDbKvOptions(directory, false, threads));
    try {
      await(kv.start());
      run(vertx, kv, warmup, concurrency);
      long cpuBefore = processCpuNanos();
      long wallBefore = System.nanoTime();
      run(vertx, kv, activations, concurrency);
      long cpu = processCpuNanos() - cpuBefore;
      long wall = System.nanoTime() - wallBefore;
      System.out.printf("%d activations, %d at a time, %d store threads: %.1f µs CPU and %.1f µs wall per activation,"
          + " peak RSS %d MB%n", activations, concurrency, threads, cpu / 1e3 / activations, wall / 1e3 / activations,
          peakRssMb());
    } finally {
      await(kv.stop());
      await(vertx.close());
    }
  }

  private static void run(Vertx vertx, KvStore kv, int activations, int concurrency) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(concurrency);
    vertx.runOnContext(ignored -> {
      for (int i = 0; i < concurrency; i++) {
        activation(kv, next, activations, done);
      }
    });
    if (!done.await(30, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the activations did not end within 30 minutes");
    }
  }

  /** One activation's store calls, then the next activation's, until {@code activations} began. */
  private static void activation(KvStore kv, AtomicInteger next, int activations, CountDownLatch done) {
    if (next.getAndIncrement() >= activations) {
      done.countDown();
      return;
    }
    String id = UUID.randomUUID().toString();
    long now = System.currentTimeMillis();
    String accepted = KvKeys.acceptedRequest("acme", "default", now, id);
    String record = KvKeys.activation("acme", "default", id);
    kv.put(accepted, REQUEST)
        .compose(journaled -> kv.putIfAbsentThenIndexAdd(record, RUNNING, Duration.ofDays(7),
            KvKeys.activationIndex("acme", "default", "hello"), id, now))
        .compose(claimed -> kv.compareAndSet(record, RUNNING, ENDED))
        .compose(ended -> kv.deleteEach(List.of(accepted)))
        .onComplete(outcome -> {
          if (outcome.failed()) {
            outcome.cause().printStackTrace();
          }
          activation(kv, next, activations, done);
        });
  }

  /** The process's peak resident set (VmHWM), or -1 where /proc is not there. */
  private static long peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (java.io.IOException | RuntimeException noProc) {
      return -1;
    }
    return -1;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
  }
}
