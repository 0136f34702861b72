package io.codesous.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.ZoneOffset;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.io.FileSystem;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The closed engine and context every sandbox starts from, so the activations' contexts and the upload check's
 * contexts cannot drift apart in what they let a guest reach. Callers add what is theirs (the runtime's own
 * built-ins, the per-context limits) and build.
 */
final class SandboxBuilders {

  private SandboxBuilders() {
  }

  /**
   * The language of WebAssembly modules, which a context gets only with JavaScript's WebAssembly API on top (no
   * WASI, no other way to evaluate it).
   */
  private static final String WASM = "wasm";
  /** JavaScript may compile and instantiate WebAssembly modules; nothing else crosses languages. */
  private static final PolyglotAccess JS_WITH_WASM = PolyglotAccess.newBuilder()
      .allowEvalBetween("js", WASM)
      .allowBindingsAccess("js")
      .allowBindingsAccess(WASM)
      .build();

  /** An engine with the built-ins that would widen what guests see turned off, and no standard streams. */
  static Engine.Builder engine() {
    return Engine.newBuilder("js", WASM)
        // Some of the options below are experimental; they only narrow what guests see.
        .allowExperimentalOptions(true)
        .option("engine.WarnInterpreterOnly", "false")
        .option("js.load", "false")
        .option("js.print", "false")
        .option("js.polyglot-builtin", "false")
        .option("js.java-package-globals", "false")
        .option("js.global-arguments", "false")
        .in(InputStream.nullInputStream())
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream());
  }

  /**
   * A context on {@code engine} that reaches nothing of the host, and reads files only from {@code fileSystem}
   * (relative paths resolved against {@code workingDirectory}).
   */
  static Context.Builder context(Engine engine, FileSystem fileSystem, Path workingDirectory) {
    return closed(Context.newBuilder("js"), engine, fileSystem, workingDirectory)
        .allowPolyglotAccess(PolyglotAccess.NONE);
  }

  /**
   * A context like {@link #context} with JavaScript's WebAssembly API, for functions that use it: the API costs
   * every context that has it about as much again as the rest of the realm. Modules come only from bytes the
   * function holds: importing a bundle's {@code .wasm} file (source phase imports) stays off, since every module
   * must pass the limits of {@code web-wasm.js}.
   */
  static Context.Builder webAssemblyContext(Engine engine, FileSystem fileSystem, Path workingDirectory) {
    return closed(Context.newBuilder("js", WASM), engine, fileSystem, workingDirectory)
        .allowPolyglotAccess(JS_WITH_WASM)
        .allowExperimentalOptions(true)
        .option("js.webassembly", "true")
        .option("js.source-phase-imports", "false");
  }

  private static Context.Builder closed(Context.Builder builder, Engine engine, FileSystem fileSystem,
      Path workingDirectory) {
    return builder
        .engine(engine)
        // Nothing may reach the host. Host class lookup is deliberately left unset: configuring it at all, even
        // with a predicate that refuses every class, installs the `Java` global.
        .allowHostAccess(HostAccess.NONE)
        .allowHostClassLoading(false)
        .allowNativeAccess(false)
        .allowCreateThread(false)
        .allowCreateProcess(false)
        .allowEnvironmentAccess(EnvironmentAccess.NONE)
        .allowInnerContextOptions(false)
        .allowValueSharing(false)
        .allowIO(IOAccess.newBuilder().fileSystem(fileSystem).allowHostSocketAccess(false).build())
        .currentWorkingDirectory(workingDirectory)
        .timeZone(ZoneOffset.UTC)
        .in(InputStream.nullInputStream())
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream());
  }
}
