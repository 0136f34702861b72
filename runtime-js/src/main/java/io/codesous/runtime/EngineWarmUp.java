package io.codesous.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A built-in function run a few times when a server starts ({@link JsRuntime#warmUp}), so the first function a
 * user publishes finds the JVM's compilers done with the engine's parser and interpreter.
 *
 * <p>Evidence for the need: a 1.27 MB esbuild bundle of popular npm packages took 3.0 s to evaluate as the first
 * module of a fresh JDK 17 server, and 0.77 s once four other bundles of that size had been evaluated before it.
 * The JVM compiles what runs, so the warm-up runs what a function's first activation runs: a fresh context with the
 * runtime installed, a large module of npm code parsed (a new {@link org.graalvm.polyglot.Source} each round, so
 * the engine's source cache does not spare the parser) and its top level evaluated, regular expressions compiled
 * (new patterns each round: the engine caches compiled ones; the bundle above compiles six thousand at its top
 * level, which a profile put at 40 % of its evaluation), then the Web platform APIs.
 *
 * <p>It is an ordinary activation of a bundle of the runtime's own, with no host bindings, under the default
 * limits, in a tenant no function can have.
 */
final class EngineWarmUp {

  /** Not a valid tenant name for functions (those start with a letter), so no real bundle shares its caches. */
  static final String TENANT = "_warm-up";
  static final String NAMESPACE = "default";
  static final String ENTRY = "warm-up.mjs";
  private static final String LIBRARY = "whatwg-url.mjs";
  private static final long TIMEOUT_MS = 30_000;

  private final byte[] entry;
  private final String library;

  EngineWarmUp() {
    this.entry = GuestApi.readScript(ENTRY).getBytes(StandardCharsets.UTF_8);
    this.library = GuestApi.readScript("web-url.js");
  }

  /** The id of round {@code round}'s activation, by which a function's arrival cancels it. */
  static String activationId(int round) {
    return "warm-up-" + round;
  }

  /** The request {@link JsRuntime#initialize()} runs: a one-line function. */
  static ExecutionRequest first() {
    return request("initialize", 1, Map.of("index.mjs",
        "export const handler = (e) => ({ statusCode: 200, body: JSON.stringify(e) });".getBytes(StandardCharsets.UTF_8)),
        "index.mjs", "{}");
  }

  /**
   * Runs up to {@code rounds} rounds through {@code activation}, one after another on the calling thread, checking
   * {@code stop} (a reason to stop, or {@code null}) before each; a round that does not succeed ends the warm-up.
   */
  WarmUpOutcome run(int rounds, Function<ExecutionRequest, ExecutionResult> activation, Supplier<String> stop) {
    long start = System.nanoTime();
    int round = 0;
    String stopped = null;
    while (round < rounds) {
      stopped = stop.get();
      if (stopped != null) {
        break;
      }
      ExecutionResult result = activation.apply(request(round));
      if (result.status() != ExecutionStatus.SUCCESS) {
        // cancelled because a function arrived, or a fault of the round's own
        String reason = stop.get();
        stopped = reason != null ? reason
            : "round " + (round + 1) + " ended " + result.status() + ": " + result.errorMessage();
        break;
      }
      round++;
    }
    return new WarmUpOutcome(round, rounds, (System.nanoTime() - start) / 1_000_000, stopped);
  }

  /** The request of warm-up round {@code round}: a bundle and source text of its own. */
  ExecutionRequest request(int round) {
    byte[] module = ("export default " + library + ";\n// warm-up round " + round + '\n')
        .getBytes(StandardCharsets.UTF_8);
    return request(activationId(round), round, Map.of(ENTRY, entry, LIBRARY, module), ENTRY,
        "{\"round\":" + round + '}');
  }

  /** A strict activation of the runtime's own, named {@code id} (activation and bundle), in its tenant. */
  private static ExecutionRequest request(String id, long version, Map<String, byte[]> files, String entry,
                                          String eventJson) {
    InvocationInfo info = new InvocationInfo(id, id, TENANT, NAMESPACE, "warm-up", version, "warm-up", null);
    return new ExecutionRequest(id, files, entry, eventJson, info, TIMEOUT_MS, ExecutionLimits.DEFAULTS,
        ExecutionRequest.ISOLATION_STRICT, HostBindings.NONE);
  }
}
