package io.codesous.bench;

import io.codesous.runtime.ExecutionLimits;
import io.codesous.runtime.ExecutionRequest;
import io.codesous.runtime.ExecutionResult;
import io.codesous.runtime.HostBindings;
import io.codesous.runtime.InvocationInfo;
import io.codesous.runtime.JsRuntime;
import io.codesous.runtime.RuntimeOptions;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How each limit ends a misbehaving function: for every case, the status and code it ends with, and how long the
 * sandbox took to give the worker thread back, measured from the call into {@link JsRuntime#execute} (for the
 * deadline cases, from the deadline). It prints a table; it asserts nothing.
 *
 * <pre>
 * bench/run.sh --limits [--runs 20]
 * </pre>
 */
public final class LimitsBenchmark {

  private static final long TIMEOUT_MS = 1_000;
  private static final long MEMORY_BYTES = 32L << 20;

  /** Each case: a handler module that breaks one limit. */
  private static final Map<String, String> CASES = new LinkedHashMap<>();

  static {
    CASES.put("infinite loop", "export function handler() { for (;;) {} }");
    CASES.put("never-settling promise", "export function handler() { return new Promise(() => {}); }");
    CASES.put("unhandled rejection", "export async function handler() { Promise.reject(new Error('lost'));"
        + " await new Promise(() => {}); }");
    CASES.put("allocation bomb (arrays)", "export function handler() { const keep = [];"
        + " for (;;) { keep.push(new Array(1024).fill({a: 1})); } }");
    CASES.put("allocation bomb (strings)", "export function handler() { let s = 'x'; const keep = [];"
        + " for (;;) { s = s + s; keep.push(s); } }");
    CASES.put("huge typed array", "export function handler() { return { statusCode: 200,"
        + " body: String(new Uint8Array(1 << 30).length) }; }");
    CASES.put("unbounded recursion", "const f = (n) => f(n + 1) + 1; export function handler() { return f(0); }");
    CASES.put("log flood", "export function handler() { for (let i = 0; i < 1e6; i++) console.log('line', i);"
        + " return { statusCode: 200 }; }");
    CASES.put("response too large", "export function handler() { return { statusCode: 200,"
        + " body: 'x'.repeat(16 << 20) }; }");
    CASES.put("invalid result", "export function handler() { return 42; }");
  }

  private LimitsBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int runs = 20;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--runs") && i + 1 < args.length) {
        runs = Integer.parseInt(args[++i]);
      } else {
        System.err.println("usage: LimitsBenchmark [--runs N]");
        System.exit(2);
      }
    }
    System.out.printf("machine: %d cores, java %s (%s); timeoutMs %d, memory budget %d MB, %d runs per case%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("java.vm.name"), TIMEOUT_MS, MEMORY_BYTES >> 20, runs);
    System.out.printf("%-26s %-13s %-22s %10s %10s %10s  %s%n", "case", "status", "code", "p50 ms", "p99 ms",
        "max ms", "measured from");
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions())) {
      int n = 0;
      for (Map.Entry<String, String> c : CASES.entrySet()) {
        Histogram stop = new Histogram(3);
        ExecutionResult last = null;
        boolean fromDeadline = false;
        for (int r = 0; r < runs; r++) {
          n++;
          InvocationInfo info = new InvocationInfo("act-" + n, "req-" + n, "bench", "default", "limits", 1, "http",
              null);
          ExecutionRequest request = new ExecutionRequest("limits-" + c.getKey(),
              Map.of("index.mjs", c.getValue().getBytes(StandardCharsets.UTF_8)), "index.mjs", "{}", info,
              TIMEOUT_MS, ExecutionLimits.DEFAULTS.withMemoryBytes(MEMORY_BYTES), ExecutionRequest.ISOLATION_STRICT,
              HostBindings.NONE);
          long began = System.nanoTime();
          last = runtime.execute(request);
          long tookMs = (System.nanoTime() - began) / 1_000_000;
          fromDeadline = last.status().name().equals("TIMEOUT");
          stop.recordValue(Math.max(0, fromDeadline ? tookMs - TIMEOUT_MS : tookMs));
        }
        System.out.printf("%-26s %-13s %-22s %10d %10d %10d  %s%n", c.getKey(), last.status().name().toLowerCase(),
            last.errorCode() == null ? "-" : last.errorCode(), stop.getValueAtPercentile(50),
            stop.getValueAtPercentile(99), stop.getMaxValue(), fromDeadline ? "the deadline" : "the call");
      }
    }
  }
}
