package io.codesous.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

/**
 * A module's top level is left out of compilation while the functions it defines are compiled. The compiling cases
 * need GraalJS on the Graal compiler: {@code scripts/jit-tests.sh} runs this class on the JIT launcher's JDK with
 * {@code -Dcodesous.test.compiler=required}, where they must run; on a JDK without the compiler they are skipped.
 */
class GuestCompilationTest {

  /** A module whose top level runs a loop and whose exported function is called often enough to be compiled. */
  private static final Source MODULE = Source.newBuilder("js", """
      let table = 0;
      for (let i = 0; i < 200; i++) {
        table += i % 7;
      }
      export function checksum(n) {
        let sum = table;
        for (let i = 0; i < n; i++) {
          sum = (sum * 31 + i) % 1000003;
        }
        return sum;
      }
      """, "index.mjs").mimeType("application/javascript+module").buildLiteral();

  @Test
  void theEngineIsBuiltWhetherOrNotItCompiles() {
    try (Engine engine = GuestCompilation.build(SandboxBuilders.engine())) {
      assertEquals(!"Interpreted".equals(engine.getImplementationName()), GuestCompilation.compiles(engine),
          engine.getImplementationName());
    }
  }

  @Test
  void askingWhetherTheEngineCompilesWritesNothingToStandardError() {
    PrintStream original = System.err;
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    System.setErr(new PrintStream(written, true, StandardCharsets.UTF_8));
    try {
      GuestCompilation.Probe.probe();
    } finally {
      System.setErr(original);
    }
    assertEquals("", written.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aModulesTopLevelIsNeverCompiledWhileItsFunctionsAre() {
    requireCompiler();
    ByteArrayOutputStream trace = new ByteArrayOutputStream();
    try (Engine engine = GuestCompilation.build(traced(trace))) {
      evaluateInFreshContexts(engine);
    }
    String compilations = trace.toString(StandardCharsets.UTF_8);
    assertTrue(compilations.contains("checksum"), compilations);
    assertFalse(compilations.contains(GuestCompilation.MODULE_TOP_LEVEL), compilations);
  }

  @Test
  void anEngineBuiltWithoutTheExclusionCompilesTheSameModulesTopLevel() {
    requireCompiler();
    ByteArrayOutputStream trace = new ByteArrayOutputStream();
    try (Engine engine = traced(trace).build()) {
      evaluateInFreshContexts(engine);
    }
    String compilations = trace.toString(StandardCharsets.UTF_8);
    assertTrue(compilations.contains(GuestCompilation.MODULE_TOP_LEVEL), compilations);
  }

  @Test
  void aRuntimeKeepsTheEnginesCompilerThreadsBelowTheProcesssOtherThreads() throws Exception {
    requireCompiler();
    assumeTrue(GuestThreads.available() && Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
    int expected = Math.min(GuestThreads.MAX_NICE,
        CompilerThreadsTest.niceOf((int) ProcessHandle.current().pid()) + RuntimeOptions.DEFAULT_COMPILER_NICE);
    // The compile queue, and so its threads, belong to the JVM: a function compiled on another engine shares them.
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions());
         Engine engine = GuestCompilation.build(SandboxBuilders.engine());
         Context context = Context.newBuilder("js").engine(engine).build()) {
      Value hot = context.eval("js",
          "(n) => { let s = 0; for (let i = 0; i < n; i++) { s = (s * 31 + i) % 1000003; } return s; }");
      long deadline = System.nanoTime() + 60_000_000_000L;
      List<Integer> niceValues = List.of();
      while (System.nanoTime() < deadline) {
        hot.execute(1_000);
        niceValues = compilerThreadNiceValues();
        if (!niceValues.isEmpty() && niceValues.stream().allMatch(nice -> nice == expected)) {
          break;
        }
        Thread.sleep(10);
      }
      assertFalse(niceValues.isEmpty(), "no compiler thread was started");
      assertEquals(List.of(expected), niceValues.stream().distinct().toList());
    }
  }

  private static List<Integer> compilerThreadNiceValues() throws IOException {
    List<Integer> niceValues = new ArrayList<>();
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path thread : threads) {
        if (Files.readString(thread.resolve("comm")).startsWith(CompilerThreads.NAME)) {
          niceValues.add(CompilerThreadsTest.niceOf(Integer.parseInt(thread.getFileName().toString())));
        }
      }
    }
    return niceValues;
  }

  /**
   * Compiles in the calling thread after a few calls, one tier, and writes a line per compilation. Without
   * inlining, since a function inlined into its caller's compilation (the host's call of it, once that is hot
   * after other tests in the same JVM) has no line of its own.
   */
  private static Engine.Builder traced(ByteArrayOutputStream trace) {
    return SandboxBuilders.engine()
        .option("js.esm-eval-returns-exports", "true")
        .option("engine.BackgroundCompilation", "false")
        .option("compiler.Inlining", "false")
        .option("engine.MultiTier", "false")
        .option("engine.SingleTierCompilationThreshold", "10")
        .option("engine.TraceCompilation", "true")
        .logHandler(trace);
  }

  /** The tracing options exist only where the engine compiles. */
  private static void requireCompiler() {
    boolean compiles = GuestCompilation.Probe.COMPILES;
    if ("required".equals(System.getProperty("codesous.test.compiler"))) {
      assertTrue(compiles, "this JVM runs GraalJS without the Graal compiler");
    }
    assumeTrue(compiles, "GraalJS runs interpreted on this JVM");
  }

  /** The module evaluated in 50 contexts, as strict isolation does, its function called 200 times in each. */
  private static void evaluateInFreshContexts(Engine engine) {
    for (int round = 0; round < 50; round++) {
      try (Context context = Context.newBuilder("js").engine(engine).build()) {
        Value checksum = context.eval(MODULE).getMember("checksum");
        for (int call = 0; call < 200; call++) {
          checksum.execute(50);
        }
      }
    }
  }
}
