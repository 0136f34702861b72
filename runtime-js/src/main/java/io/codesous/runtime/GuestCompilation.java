package io.codesous.runtime;

import java.io.OutputStream;
import org.graalvm.polyglot.Engine;

/**
 * What the engine's compiler may compile: every function of a guest, but not the top level of a module.
 *
 * <p>A module's top level runs once per context, yet its call target is shared by every context of the engine, so in
 * strict isolation (a fresh context, and so one evaluation of the bundle, per activation) it soon counts the calls
 * that queue it for compilation. For a real bundle that is one root holding a megabyte of code, which the compiler
 * works on for minutes while every other compilation waits behind it. Measured on the Graal JIT launcher with
 * {@code bench/run.sh --bundle --jit} ({@code bundles/dist/popular.mjs}, 1.27 MB, strict then warm, 40 s warm-up
 * each, one thread): after 45 s the compiler thread was still on {@code :module:eval} with 117 compilations queued
 * behind it and 2 of them had reached the last tier; warm activations ran mostly in the interpreter at p50 0.87 ms
 * (438 act/s), strict at 41.9 act/s. With the top level left out: warm p50 0.084 ms (6,417 act/s; Node.js on the
 * same bundle 0.031 ms per call), strict 57.7 act/s, and a hello function unchanged. What is given up: a loop at a
 * module's top level is never compiled on stack either, so it runs interpreted once per context.
 *
 * <p>An engine that does not compile at all (GraalJS on a JDK without the Graal compiler, where the engine's
 * implementation is {@code Interpreted}) has no such option and is built without it.
 */
final class GuestCompilation {

  /** Truffle's include/exclude list; {@code ~} excludes the call targets with that name. */
  static final String OPTION = "engine.CompileOnly";
  /** The name GraalJS gives the root of a module's top-level code. */
  static final String MODULE_TOP_LEVEL = ":module:eval";
  static final String EXCLUDE_MODULE_TOP_LEVEL = "~" + MODULE_TOP_LEVEL;
  /**
   * How long an idle compiler thread waits for work before it ends; 0 keeps it for the engine's lifetime, so that the
   * priority {@link CompilerThreads} gave it holds (a thread started anew takes its creator's).
   */
  static final String IDLE_DELAY = "engine.CompilerIdleDelay";

  private GuestCompilation() {
  }

  /**
   * Builds the engine {@code builder} describes, with a module's top level left out of compilation and the compiler
   * threads kept where the engine compiles.
   */
  static Engine build(Engine.Builder builder) {
    if (Probe.COMPILES) {
      builder.option(OPTION, EXCLUDE_MODULE_TOP_LEVEL);
      builder.option(IDLE_DELAY, "0");
    }
    return builder.build();
  }

  /** Whether {@code engine} compiles guest code at all. */
  static boolean compiles(Engine engine) {
    return engine.getOptions().get(OPTION) != null;
  }

  /**
   * Asked once per JVM, of an engine built for the question: an engine given an option it does not have fails to
   * build, and on the way prints the warning that it runs interpreted, whatever {@code engine.WarnInterpreterOnly}
   * says.
   */
  static final class Probe {
    static final boolean COMPILES = probe();

    static boolean probe() {
      try (Engine engine = Engine.newBuilder().option("engine.WarnInterpreterOnly", "false")
          .err(OutputStream.nullOutputStream()).build()) {
        return compiles(engine);
      }
    }
  }
}
