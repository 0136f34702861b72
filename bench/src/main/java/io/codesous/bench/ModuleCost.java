package io.codesous.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * Where the first activation of a bundle spends its time, phase by phase, on the plain polyglot API (one shared
 * engine, as the sandbox uses): creating a context, parsing the module, evaluating it and the handler's first call,
 * then the average of 20 more calls. It runs the same version {@code repeats} times (a new context each time, the
 * parsed code shared through the engine), then {@code versions} new versions (the content differs by a comment, so
 * each is parsed and specialized anew, as a publish on a running invoker sees it). Each {@code --train} module is
 * evaluated once before, in a context of its own, to see what a JVM that has run other JavaScript saves.
 *
 * <p>Each phase is given as CPU time of the measuring thread, which a shared machine does not inflate the way it does
 * wall time, and each round adds the CPU time of the whole process (JIT and compiler threads included).
 *
 * <pre>
 * bench/run.sh --module-cost [--repeats 8] [--versions 3] [--train OTHER.mjs ...] [engine.Mode=latency ...]
 * </pre>
 */
public final class ModuleCost {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private ModuleCost() {
  }

  public static void main(String[] args) throws Exception {
    Path bundle = null;
    int repeats = 8;
    int versions = 3;
    List<Path> training = new ArrayList<>();
    Engine.Builder engine = Engine.newBuilder("js").allowExperimentalOptions(true)
        .option("engine.WarnInterpreterOnly", "false").option("js.esm-eval-returns-exports", "true");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bundle" -> bundle = Path.of(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--versions" -> versions = Integer.parseInt(args[++i]);
        case "--train" -> training.add(Path.of(args[++i]));
        default -> {
          String[] option = args[i].split("=", 2);
          if (option.length != 2) {
            System.err.println("usage: ModuleCost --bundle FILE [--repeats N] [--versions N] [--train FILE] "
                + "[engine.option=value]");
            System.exit(2);
          }
          engine.option(option[0], option[1]);
        }
      }
    }
    String code = Files.readString(bundle);
    System.out.printf("bundle %s, %d chars; java %s; CPU ms of the measuring thread per phase%n", bundle,
        code.length(), System.getProperty("java.version"));
    try (Engine shared = engine.build()) {
      for (Path file : training) {
        String text = Files.readString(file);
        round(shared, module(text + "\n// training\n"), "train " + file.getFileName());
      }
      Source source = module(code);
      for (int round = 0; round < repeats + versions; round++) {
        if (round >= repeats) {
          source = module(code + "\n// version " + round + "\n");
        }
        round(shared, source, round < repeats ? "same version #" + round : "new version #" + (round - repeats));
      }
    }
  }

  private static Source module(String code) {
    return Source.newBuilder("js", code, "index.mjs").mimeType("application/javascript+module").buildLiteral();
  }

  private static void round(Engine engine, Source source, String label) {
    long process = OS.getProcessCpuTime();
    long start = cpu();
    try (Context context = Context.newBuilder("js").engine(engine).build()) {
      context.eval("js", "0");
      long created = cpu();
      context.parse(source);
      long parsed = cpu();
      Value handler = context.eval(source).getMember("handler");
      long evaluated = cpu();
      Value event = context.eval("js", "(" + BundleBenchmark.EVENT + ")");
      boolean callable = handler != null && handler.canExecute();
      if (callable) {
        handler.execute(event);
      }
      long called = cpu();
      for (int i = 0; callable && i < 20; i++) {
        handler.execute(event);
      }
      long more = cpu();
      System.out.printf("%-16s context %5d  parse %5d  evaluate %5d  first call %5d  later calls %7.2f   "
              + "process %6d%n", label, ms(created - start), ms(parsed - created), ms(evaluated - parsed),
          ms(called - evaluated), (more - called) / 20 / 1e6, ms(OS.getProcessCpuTime() - process));
    }
  }

  private static long cpu() {
    return THREADS.getCurrentThreadCpuTime();
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}
