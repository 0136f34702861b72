package io.codesous.bench.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

/**
 * RocksDB against H2's MVStore on the platform's own access pattern, to choose the embedded
 * mode's persistent store: JSON documents of about a kilobyte put and read by key (functions,
 * versions, activations), compare-and-set on a few hot keys (aliases, the publish counter), and
 * sorted indexes that grow at the top and are read newest first (activation lists). Every write is
 * handed to the operating system before the call returns, as the store does it (a killed process
 * loses nothing), and one thread does the calls, as the store's writes are serialised anyway.
 * Then the store is closed, its disk use measured, and reopened (the server's start).
 * It prints a table; it asserts nothing.
 *
 * <pre>
 * bench/run.sh --store [--ops 20000] [--dir /tmp/cs-store-bench]
 * </pre>
 */
public final class StoreBenchmark {

  private static final int VALUE_BYTES = 1_000;
  private static final int ALIASES = 100;
  private static final int INDEXES = 50;
  private static final int RANGE_LIMIT = 20;

  private StoreBenchmark() {
  }

  public static void main(String[] args) throws IOException {
    int ops = 20_000;
    Path root = Path.of(System.getProperty("java.io.tmpdir"), "cs-store-bench");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--ops" -> ops = Integer.parseInt(args[i + 1]);
        case "--dir" -> root = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.printf("%d operations of each kind, values of %d bytes, one thread%n", ops, VALUE_BYTES);
    System.out.printf("%-11s %-13s %12s %10s%n", "engine", "operation", "ops/s", "p99 µs");
    List<Function<Path, StoreEngine>> engines = List.of(
        dir -> new RocksEngine(dir),
        dir -> new MvStoreEngine(dir.resolve("store.mv.db")));
    for (Function<Path, StoreEngine> open : engines) {
      Path dir = root.resolve(Long.toString(System.nanoTime()));
      Files.createDirectories(dir);
      try {
        run(open, dir, ops);
      } finally {
        deleteTree(dir);
      }
    }
  }

  private static void run(Function<Path, StoreEngine> open, Path dir, int ops) {
    String value = "{\"doc\":\"" + "x".repeat(VALUE_BYTES - 10) + "\"}";
    SplittableRandom random = new SplittableRandom(42);
    String name;
    try (StoreEngine engine = open.apply(dir)) {
      name = engine.name();
      // Untimed warm-up: class loading, JIT, the engines' first files.
      for (int i = 0; i < 2_000; i++) {
        engine.put("warm:" + i, value);
        engine.get("warm:" + (i / 2));
      }
      measure(name, "put", ops, i -> engine.put("t:fn:" + i, value));
      measure(name, "get", ops, i -> engine.get("t:fn:" + random.nextInt(ops)));
      for (int a = 0; a < ALIASES; a++) {
        engine.put("t:alias:" + a, "0");
      }
      measure(name, "cas", ops, i -> {
        String alias = "t:alias:" + random.nextInt(ALIASES);
        String current = engine.get(alias);
        engine.compareAndSet(alias, current, Integer.toString(i));
      });
      measure(name, "index-add", ops, i -> engine.indexAdd(
          "t:idx:" + random.nextInt(INDEXES), "act-" + i, System.currentTimeMillis()));
      measure(name, "index-range", ops,
          i -> engine.indexRangeDescending("t:idx:" + random.nextInt(INDEXES), RANGE_LIMIT));
    }
    long diskBytes = diskUse(dir);
    long start = System.nanoTime();
    try (StoreEngine reopened = open.apply(dir)) {
      reopened.get("t:fn:0");
      double openMs = (System.nanoTime() - start) / 1e6;
      System.out.printf("%-11s %-13s %12s %10s   open %.1f ms, disk %.1f MB%n", name, "reopen", "", "",
          openMs, diskBytes / 1e6);
    }
  }

  private static void measure(String engine, String operation, int ops, IntConsumer call) {
    Histogram latencies = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    long start = System.nanoTime();
    for (int i = 0; i < ops; i++) {
      long before = System.nanoTime();
      call.accept(i);
      latencies.recordValue(System.nanoTime() - before);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "%-11s %-13s %12.0f %10.1f%n", engine, operation, ops / seconds,
        latencies.getValueAtPercentile(99) / 1e3);
  }

  private static long diskUse(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
