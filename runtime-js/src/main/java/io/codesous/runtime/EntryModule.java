package io.codesous.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * The entry module of a request: its normalized name, its cached source, and whether its bundle uses WebAssembly.
 *
 * @param webAssembly whether any file of the bundle names {@code WebAssembly}: only then
 *                    do its contexts get the engine's WebAssembly API, which costs each context about as much as
 *                    the rest of its realm. A global that is used is named: minifiers keep global names, and code
 *                    that spells it otherwise ({@code globalThis['Web' + 'Assembly']}) finds it undefined.
 */
record EntryModule(String name, Source source, boolean webAssembly) {

  private static final String WEB_ASSEMBLY = "WebAssembly";

  /**
   * An export appended to the entry module, so that its binding is initialized by the module's last statement: a
   * namespace whose marker still throws (temporal dead zone) belongs to a module whose evaluation has not completed,
   * which a module with top-level {@code await} reaches only after all of them. The engine gives no other way to see
   * that: with {@code js.esm-eval-returns-exports} it returns the namespace as soon as the first {@code await}
   * suspends the module.
   */
  static final String EVALUATED_MARKER = "__cs_module_evaluated__";
  private static final String MARKER_STATEMENT = "\n;export const " + EVALUATED_MARKER + " = true;\n";

  /**
   * Resolves and caches the entry module's source.
   *
   * @throws IllegalArgumentException with the activation's message when the entry is not a bundle file
   */
  static EntryModule of(ExecutionRequest request, SourceCache cache) {
    return of(request.bundleId(), request.files(), request.entry(), cache);
  }

  /**
   * Resolves and caches the entry module {@code entry} of the bundle {@code files} whose content hash is
   * {@code bundleId}.
   *
   * @throws IllegalArgumentException with the activation's message when the entry is not a bundle file
   */
  static EntryModule of(String bundleId, Map<String, byte[]> files, String entry, SourceCache cache) {
    Unbuilt module = resolve(files, entry);
    return cache.get(bundleId, module.name, module::build);
  }

  /**
   * As {@link #of(String, Map, String, SourceCache)}, for a draft no activation has asked for yet: kept among the few
   * drafts the cache holds beside the activations' modules ({@link SourceCache#draft}).
   */
  static EntryModule ofDraft(String bundleId, Map<String, byte[]> files, String entry, SourceCache cache) {
    Unbuilt module = resolve(files, entry);
    return cache.draft(bundleId, module.name, module::build);
  }

  private static Unbuilt resolve(Map<String, byte[]> files, String entry) {
    BundlePath entryPath = BundleFileSystem.pathOf(entry);
    if (entryPath.escapesRoot() || entryPath.getNameCount() == 0) {
      throw new IllegalArgumentException("entry module " + entry + " is not a path inside the bundle");
    }
    String entryName = entryPath.toString().substring(1);
    byte[] entryContent = files.get(entryName);
    if (entryContent == null) {
      // The bundle may name the file differently (./index.mjs); the file system normalizes every name.
      entryContent = new BundleFileSystem(files).content(entryPath);
    }
    if (entryContent == null) {
      throw new IllegalArgumentException("entry module " + entry + " is not in the bundle");
    }
    return new Unbuilt(entryName, entryPath, entryContent, files);
  }

  /** An entry module found in its bundle, its source not built yet (decoding a large module is left to a miss). */
  private record Unbuilt(String name, BundlePath path, byte[] content, Map<String, byte[]> files) {

    EntryModule build() {
      return new EntryModule(name,
          Source.newBuilder("js", new String(content, StandardCharsets.UTF_8) + MARKER_STATEMENT, name)
              .mimeType(ContextFactory.moduleMimeType())
              .uri(path.toUri())
              .buildLiteral(),
          usesWebAssembly(files));
    }
  }

  static boolean usesWebAssembly(Map<String, byte[]> files) {
    for (byte[] content : files.values()) {
      // one char per byte, so the word is found in any encoding that writes ASCII as ASCII
      if (new String(content, StandardCharsets.ISO_8859_1).contains(WEB_ASSEMBLY)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses the entry module before function code runs, so that what the engine allocates for its code (several
   * times the source: a 5 MB bundle took more than a 128 MB budget) is the runtime's, like the context itself, and
   * not the function's; the size of a bundle bounds it. Usually a cache hit: the shared engine keeps the code of
   * every cached source. A syntax error is left to the evaluation to report.
   *
   * @param ended whether the activation has ended, in which case a failure to parse is rethrown
   */
  void parseIn(Context context, BooleanSupplier ended) {
    try {
      context.parse(source);
    } catch (PolyglotException e) {
      if (e.isCancelled() || ended.getAsBoolean()) {
        throw e;
      }
    }
  }

  /**
   * Whether the module of {@code namespace} has completed its evaluation; see {@link #EVALUATED_MARKER}.
   *
   * @param ended whether the activation has ended, in which case reading the marker's failure is rethrown
   */
  static boolean isEvaluated(Value namespace, BooleanSupplier ended) {
    try {
      namespace.getMember(EVALUATED_MARKER);
      return true;
    } catch (PolyglotException e) {
      if (e.isGuestException() && !e.isCancelled() && !ended.getAsBoolean()) {
        return false;
      }
      throw e;
    }
  }
}
