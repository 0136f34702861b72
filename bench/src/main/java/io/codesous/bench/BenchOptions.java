package io.codesous.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Command-line settings of one benchmark run.
 *
 * @param rate       requests per second of the open-loop run; 0 runs none
 * @param redisUri   the Redis the {@code single} and {@code split} shapes store their state in
 */
record BenchOptions(Duration measured, Duration warmup, List<Integer> concurrencyLevels, int rate,
                    List<Shape> shapes, String redisUri) {

  static final String USAGE = "usage: bench [--duration SECONDS] [--warmup SECONDS] [--concurrency 1,16] "
      + "[--rate 500] [--shapes embedded,emb-disk,single,split] [--redis redis://127.0.0.1:6379]";

  static BenchOptions parse(String[] args) {
    Duration measured = Duration.ofSeconds(10);
    // the JS interpreter is itself Java code: HotSpot needs thousands of activations to compile it
    Duration warmup = Duration.ofSeconds(15);
    List<Integer> levels = List.of(1, 16);
    // the rate the latency target is stated at
    int rate = 500;
    List<Shape> shapes = List.of(Shape.EMBEDDED, Shape.SINGLE, Shape.SPLIT);
    String redisUri = "redis://127.0.0.1:6379";
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help") || name.equals("-h")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + name + "\n" + USAGE);
      }
      String value = args[++i];
      switch (name) {
        case "--duration" -> measured = Duration.ofSeconds(positive(name, value));
        case "--warmup" -> warmup = Duration.ofSeconds(nonNegative(name, value));
        case "--concurrency" -> levels = levels(value);
        case "--rate" -> rate = nonNegative(name, value);
        case "--shapes" -> shapes = shapes(value);
        case "--redis" -> redisUri = value;
        default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      }
    }
    return new BenchOptions(measured, warmup, levels, rate, shapes, redisUri);
  }

  /** Every load mode, in the order each target runs them. */
  List<LoadMode> loadModes() {
    List<LoadMode> modes = new ArrayList<>();
    concurrencyLevels.forEach(users -> modes.add(new LoadMode.ClosedLoop(users)));
    if (rate > 0) {
      modes.add(new LoadMode.FixedRate(rate));
    }
    return List.copyOf(modes);
  }

  boolean needsSharedBackends() {
    return shapes.stream().anyMatch(Shape::usesSharedBackends);
  }

  private static List<Integer> levels(String value) {
    List<Integer> levels = new ArrayList<>();
    for (String part : value.split(",")) {
      levels.add(positive("--concurrency", part.trim()));
    }
    return List.copyOf(levels);
  }

  private static List<Shape> shapes(String value) {
    Set<Shape> shapes = new LinkedHashSet<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        shapes.add(Shape.parse(part));
      }
    }
    if (shapes.isEmpty()) {
      throw new IllegalArgumentException("--shapes names no shape\n" + USAGE);
    }
    return List.copyOf(shapes);
  }

  private static int positive(String name, String value) {
    int n = nonNegative(name, value);
    if (n == 0) {
      throw new IllegalArgumentException(name + " must be at least 1");
    }
    return n;
  }

  private static int nonNegative(String name, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n < 0) {
        throw new IllegalArgumentException(name + " must not be negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " expects a whole number, got '" + value + "'");
    }
  }
}
