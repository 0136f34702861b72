package io.codesous.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects the runs' results and formats them for a terminal. */
final class ResultTable {

  private static final String ROW = "%-10s %-9s %9s %9s %9s %8s %7s%n";

  /** The latency the platform is held to, stated for one request rate. */
  private static final int TARGET_RATE = 500;
  private static final double TARGET_P50_MS = 5;
  private static final double TARGET_P99_MS = 25;

  private final List<RunResult> results = new ArrayList<>();
  /** Targets that produced no rows, and why. */
  private final Map<String, String> missing = new LinkedHashMap<>();

  void add(RunResult result) {
    results.add(result);
  }

  void addMissing(String target, String reason) {
    missing.put(target, reason);
  }

  /** Whether some target did not run or some run got no 2xx answer at all. */
  boolean anythingFailed() {
    return !missing.isEmpty() || results.stream().anyMatch(RunResult::failedCompletely);
  }

  /** Whether every target ran and every request of every measured window got a 2xx answer. */
  boolean allClean() {
    return missing.isEmpty() && results.stream().allMatch(RunResult::clean);
  }

  void print(PrintStream out, List<LoadMode> modes, List<Shape> shapes) {
    out.printf(Locale.ROOT, ROW, "target", "mode", "req/s", "p50 ms", "p99 ms", "non-2xx", "failed");
    for (RunResult r : results) {
      out.printf(Locale.ROOT, ROW, r.target(), r.mode().label(),
          String.format(Locale.ROOT, "%.0f", r.requestsPerSecond()),
          millis(r, r.p50Millis()), millis(r, r.p99Millis()), r.non2xx(), r.failed());
    }
    printOverhead(out, modes, shapes);
    printTargetVerdict(out, modes, shapes);
    missing.forEach((target, reason) -> out.printf(Locale.ROOT, "%s did not run: %s%n", target, firstLine(reason)));
    for (RunResult r : results) {
      if (r.firstProblem() != null) {
        out.printf(Locale.ROOT, "first problem, %s %s: %s%n", r.target(), r.mode().label(), r.firstProblem());
      }
    }
  }

  private void printOverhead(PrintStream out, List<LoadMode> modes, List<Shape> shapes) {
    out.println("overhead (p50 / " + HttpBenchmark.BASELINE_TARGET + " p50 in the same mode):");
    for (Shape shape : shapes) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-9s", shape.label()));
      for (LoadMode mode : modes) {
        line.append("  ").append(mode.label()).append(' ').append(p50Ratio(shape.label(), mode));
      }
      out.println(line);
    }
  }

  private void printTargetVerdict(PrintStream out, List<LoadMode> modes, List<Shape> shapes) {
    LoadMode.FixedRate rate = modes.stream().filter(LoadMode.FixedRate.class::isInstance)
        .map(LoadMode.FixedRate.class::cast).findFirst().orElse(null);
    String target = String.format(Locale.ROOT, "target at rate=%d: p50 <= %.0f ms, p99 <= %.0f ms, every answer 2xx",
        TARGET_RATE, TARGET_P50_MS, TARGET_P99_MS);
    if (rate == null || rate.perSecond() != TARGET_RATE) {
      out.println(target + " (not judged: no run at rate=" + TARGET_RATE + ")");
      return;
    }
    StringBuilder line = new StringBuilder(target).append(':');
    for (Shape shape : shapes) {
      RunResult r = find(shape.label(), rate);
      line.append("  ").append(shape.label()).append(' ');
      if (r == null) {
        line.append("not run");
      } else {
        boolean met = r.clean() && r.p50Millis() <= TARGET_P50_MS && r.p99Millis() <= TARGET_P99_MS;
        line.append(met ? "met" : "MISSED");
      }
    }
    out.println(line);
  }

  private static String millis(RunResult r, double value) {
    return r.failedCompletely() ? "-" : String.format(Locale.ROOT, "%.3f", value);
  }

  private String p50Ratio(String target, LoadMode mode) {
    RunResult measured = find(target, mode);
    RunResult baseline = find(HttpBenchmark.BASELINE_TARGET, mode);
    if (measured == null || baseline == null || measured.failedCompletely() || baseline.failedCompletely()
        || baseline.p50Millis() <= 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "x%.1f", measured.p50Millis() / baseline.p50Millis());
  }

  private RunResult find(String target, LoadMode mode) {
    return results.stream()
        .filter(r -> r.target().equals(target) && r.mode().equals(mode))
        .findFirst().orElse(null);
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }
}
