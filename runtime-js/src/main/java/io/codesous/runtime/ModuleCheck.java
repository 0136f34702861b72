package io.codesous.runtime;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;

/**
 * Checks, before a bundle is stored, that its entry module and every module it imports parse and that every import
 * resolves to a bundle file exporting the names asked for, without running any of the bundle's code.
 *
 * <p>How: the engine links a module graph (parses each module, resolves each import) before it evaluates any of it,
 * and it has no public call that links without evaluating. So every module is given a first line of its own,
 * {@code throw} of a marker: linking proceeds as usual, and the first statement evaluation reaches is that throw,
 * in the first module of the evaluation order, before any statement of the bundle. The marker coming back means
 * the graph linked; anything else is the problem. Positions are reported in the bundle's own lines (the added line
 * is subtracted). JSON modules get no line, since a statement would make them invalid JSON.
 *
 * <p>The contexts are as closed as the activations' ones: no host access, no I/O but the bundle's files, read-only.
 * Thread-safe: each call uses a context of its own on the shared engine. It blocks its caller for the time a parse
 * takes, so callers run it on a worker pool.
 */
public final class ModuleCheck implements AutoCloseable {

  private static final String MARKER = "__cs_module_check__";
  private static final String FIRST_LINE = "throw '" + MARKER + "';\n";

  /** Created by the first check, on its caller's worker thread: building an engine takes seconds on a busy machine. */
  private Engine engine;
  private boolean closed;

  private synchronized Engine engine() {
    if (closed) {
      throw new IllegalStateException("the module check is closed");
    }
    if (engine == null) {
      engine = newEngine();
    }
    return engine;
  }

  private static Engine newEngine() {
    return SandboxBuilders.engine()
        .option("js.console", "false")
        .build();
  }

  /**
   * @param files the bundle, file name to content
   * @param entry the manifest's entry module, a file of {@code files}
   * @return the first problem found, or empty when the module graph links
   */
  public Optional<ModuleProblem> check(Map<String, byte[]> files, String entry) {
    Objects.requireNonNull(files, "files");
    BundlePath entryPath = BundleFileSystem.pathOf(Objects.requireNonNull(entry, "entry"));
    String entryName = entryPath.toString().substring(1);
    Map<String, byte[]> guarded = new HashMap<>();
    files.forEach((name, content) -> guarded.put(name, isJson(name) ? content : guard(content)));
    // the runtime's node: modules read its globals, which a check's context lacks: they are guarded too
    BundleFileSystem fileSystem = new BundleFileSystem(guarded, ModuleCheck::guard);
    byte[] entryContent = fileSystem.content(entryPath);
    if (entryContent == null) {
      return Optional.of(new ModuleProblem(entryName, 0, 0, "the entry module is not in the bundle"));
    }
    try (Context context = SandboxBuilders.context(engine(), fileSystem, entryPath.getParent()).build()) {
      Source source = Source.newBuilder("js", new String(entryContent, StandardCharsets.UTF_8), entryName)
          .mimeType(ContextFactory.moduleMimeType())
          .uri(entryPath.toUri())
          .buildLiteral();
      try {
        context.eval(source);
      } catch (PolyglotException e) {
        return problem(e, entryName).map(ModuleCheck::webAssemblyImport)
            .map(p -> p.line() > 0 ? p : ImportLocator.locate(p, files, entryName));
      }
      // Evaluation returned: the marker was thrown inside an asynchronous module graph (top-level await), and
      // became a rejected promise. Linking, which is synchronous, went through.
      return Optional.empty();
    }
  }

  private static Optional<ModuleProblem> problem(PolyglotException e, String entryName) {
    if (e.isGuestException() && !e.isSyntaxError() && e.getGuestObject() != null
        && e.getGuestObject().isString() && MARKER.equals(e.getGuestObject().asString())) {
      return Optional.empty();
    }
    SourceSection at = e.getSourceLocation();
    String message = String.valueOf(e.getMessage());
    if (at == null || at.getSource() == null) {
      return Optional.of(new ModuleProblem(entryName, 0, 0, message));
    }
    String file = fileOf(at, entryName);
    boolean guardedLine = !isJson(file);
    int line = at.hasLines() ? at.getStartLine() - (guardedLine ? 1 : 0) : 0;
    int column = at.hasColumns() ? at.getStartColumn() : 0;
    // the engine's message repeats the position in the guarded source, one line off ("SyntaxError:
    // ./lib/a.mjs:4:7 Expected ..."): drop it, the problem carries the bundle's own position
    message = message.replaceFirst("^(SyntaxError: )?\\S+:\\d+:\\d+ ", "$1");
    return Optional.of(new ModuleProblem(file, Math.max(line, 0), column, message));
  }

  private static String fileOf(SourceSection at, String entryName) {
    String path = at.getSource().getPath();
    if (path == null || path.isEmpty()) {
      return at.getSource().getName() == null ? entryName : at.getSource().getName();
    }
    return path.startsWith("/") ? path.substring(1) : path;
  }

  /** A module name the engine quotes in its message ("Error reading module './lib/add.wasm' imported from ..."). */
  private static final Pattern QUOTED_WASM = Pattern.compile("'([^']+\\.wasm)'");

  /**
   * A {@code .wasm} file imported as a module is refused by the engine ("Evaluation phase imports not supported for
   * this type of module") or fails to parse as JavaScript; what the author needs is where it is imported and what
   * to do instead. The import is found by its quoted name ({@link ImportLocator}).
   */
  private static ModuleProblem webAssemblyImport(ModuleProblem problem) {
    Matcher quoted = QUOTED_WASM.matcher(problem.message());
    String module = problem.file().endsWith(".wasm") ? problem.file() : quoted.find() ? quoted.group(1) : null;
    if (module == null) {
      return problem;
    }
    return new ModuleProblem(problem.file(), 0, 0, "'" + module + "' is a WebAssembly file, which cannot be "
        + "imported as a module: bundle its bytes into the code (esbuild --loader:.wasm=binary) and compile them "
        + "with WebAssembly.instantiate");
  }

  private static boolean isJson(String name) {
    return name.endsWith(".json");
  }

  private static byte[] guard(byte[] content) {
    byte[] first = FIRST_LINE.getBytes(StandardCharsets.UTF_8);
    byte[] guarded = new byte[first.length + content.length];
    System.arraycopy(first, 0, guarded, 0, first.length);
    System.arraycopy(content, 0, guarded, first.length, content.length);
    return guarded;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (engine != null) {
      engine.close(true);
    }
  }
}
