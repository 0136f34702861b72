package io.codesous.bench;

import io.codesous.runtime.JsRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;

/**
 * What a fresh context costs before any function code runs, in two parts: the engine's realm (its built-ins, created
 * by the first evaluation in a context) and the runtime's own script ({@code cs-runtime.js}: the guards on built-ins,
 * {@code console}, the lazy Web platform globals). Every strict activation pays both. The script is installed with
 * guest stand-ins for the host functions, so the figure is its guest work alone.
 *
 * <p>Contexts are created, used and closed on one thread on one engine built as the runtime builds its own; the figure is that
 * thread's CPU time per context, after {@code --warmup-rounds} unmeasured rounds. Variants run interleaved, round by
 * round, so that the JIT's state is the same for each: {@code realm} (an empty evaluation), {@code script} (the
 * runtime's script from the classpath) and each {@code --script FILE} (an edited copy, for an A/B). A
 * {@code --part FILE} variant is the realm and one part of the Web platform APIs ({@code web-<part>.js}) evaluated as
 * a function's first use of its globals evaluates it, given only the {@code lazy} of what cs-web.js shares with its
 * parts (enough for a part that takes nothing else at its top level, such as {@code web-buffer.js}), each global
 * it registers then built.
 *
 * <pre>
 * bench/run.sh --context-cost [--seconds 4] [--rounds 4] [--warmup-rounds 3] [--script edited-cs-runtime.js]
 *     [--part runtime-js/src/main/resources/io/codesous/runtime/web-buffer.js]
 * </pre>
 */
public final class ContextCost {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final String SCRIPT_RESOURCE = "/io/codesous/runtime/cs-runtime.js";
  /** Installs the script as the sandbox does, each host function replaced by a guest function of the same shape. */
  private static final String INSTALL = "(install) => install(() => true, () => 1000, () => null, () => {}, "
      + "() => '', () => {}, 65536, 1000000, () => ({}), null, '{}', () => null)";

  private ContextCost() {
  }

  /** Evaluates a part as cs-web.js would, building each global it registers. */
  private static final String EVALUATE_PART = "(part) => part({ lazy(name, build) { build(); } })";

  /** What each context of a variant evaluates: the runtime's script, one part, or nothing but the realm. */
  private record Variant(String name, Source script, boolean part) {
  }

  public static void main(String[] args) throws IOException {
    double seconds = 4;
    int rounds = 4;
    int warmupRounds = 3;
    List<Variant> variants = new ArrayList<>();
    variants.add(new Variant("realm", null, false));
    variants.add(new Variant("script", script("cs-runtime.js", resource()), false));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmup-rounds" -> warmupRounds = Integer.parseInt(args[++i]);
        case "--script" -> {
          Path file = Path.of(args[++i]);
          variants.add(new Variant(file.getFileName().toString(), script(file.toString(), Files.readString(file)),
              false));
        }
        case "--part" -> {
          Path file = Path.of(args[++i]);
          variants.add(new Variant("part " + file.getFileName(), script(file.toString(), Files.readString(file)),
              true));
        }
        default -> {
          System.err.println("usage: ContextCost [--seconds S] [--rounds N] [--warmup-rounds N] [--script FILE]... "
              + "[--part FILE]...");
          System.exit(2);
        }
      }
    }
    System.out.printf("java %s; CPU µs of the creating thread per context (create, evaluate, close), %.0f s per "
        + "variant and round, after %d unmeasured rounds%n", System.getProperty("java.version"), seconds, warmupRounds);
    System.out.printf("%-24s %s%n", "variant", "per round");
    try (Engine engine = JsRuntime.engineBuilder().build()) {
      Source realmOnly = Source.newBuilder("js", "0", "realm").buildLiteral();
      Source install = Source.newBuilder("js", INSTALL, "install").buildLiteral();
      Source evaluatePart = Source.newBuilder("js", EVALUATE_PART, "evaluate-part").buildLiteral();
      List<StringBuilder> rows = new ArrayList<>();
      variants.forEach(v -> rows.add(new StringBuilder(String.format("%-24s", v.name()))));
      for (int round = 0; round < warmupRounds + rounds; round++) {
        for (int v = 0; v < variants.size(); v++) {
          Variant variant = variants.get(v);
          double micros = measure(engine, variant.script(), realmOnly, variant.part() ? evaluatePart : install,
              seconds);
          if (round >= warmupRounds) {
            rows.get(v).append(String.format(" %7.1f", micros));
          }
        }
      }
      rows.forEach(System.out::println);
    }
  }

  /**
   * CPU µs of this thread per context created, given the script (or none) through {@code apply} and closed, for
   * {@code seconds}.
   */
  private static double measure(Engine engine, Source script, Source realmOnly, Source apply, double seconds) {
    long until = System.nanoTime() + (long) (seconds * 1e9);
    long cpuFrom = THREADS.getCurrentThreadCpuTime();
    int contexts = 0;
    while (System.nanoTime() < until) {
      try (Context context = Context.newBuilder("js").engine(engine).build()) {
        if (script == null) {
          context.eval(realmOnly);
        } else {
          context.eval(apply).execute(context.eval(script));
        }
      }
      contexts++;
    }
    return (THREADS.getCurrentThreadCpuTime() - cpuFrom) / 1e3 / contexts;
  }

  private static Source script(String name, String text) {
    return Source.newBuilder("js", text, name).buildLiteral();
  }

  private static String resource() throws IOException {
    try (InputStream in = ContextCost.class.getResourceAsStream(SCRIPT_RESOURCE)) {
      if (in == null) {
        throw new IOException("missing resource " + SCRIPT_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
