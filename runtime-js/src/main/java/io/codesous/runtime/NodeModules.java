package io.codesous.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code node:} modules a function may import ({@code import { Buffer } from 'node:buffer'}): small ES modules
 * that hand out what the runtime already has as globals (Buffer, process, URL, timers, Web Crypto, with Node.js's
 * hashes over the JDK), and npm packages that are Node.js's modules for other platforms ({@code events},
 * {@code path-browserify}, {@code util}, {@code querystring-es3}, {@code string_decoder}: runtime-js/web/build.sh),
 * so code written for Node.js, and bundles built for it, load unchanged where they only need those; {@code node:module}
 * gives their CommonJS code a {@code require} of them ({@code createRequire}). Any other
 * {@code node:} module is an import error naming the ones there are: the sandbox has no file system, sockets or
 * child processes to offer behind {@code node:fs} and the like.
 *
 * <p>GraalJS loads an import whose specifier has a URI scheme through the context's file system first
 * ({@code DefaultESModuleLoader.loadModuleFromURL}), and only then would need a socket, which the sandbox never
 * has; so {@link BundleFileSystem} maps the scheme {@code node} to the paths here, {@code /node:buffer} and so on,
 * and serves their sources from this class. The module map keys them by specifier, so a context evaluates each at
 * most once, on first import.
 */
final class NodeModules {

  static final String URI_SCHEME = "node";
  private static final String PREFIX = URI_SCHEME + ":";
  /** Where a bare name's module ({@code import 'events'}) is served: one that re-exports the {@code node:} one. */
  private static final String BARE_PREFIX = "builtin:";

  /** Module name (what follows {@code node:}) to its source, in the order the refusal lists them. */
  private static final Map<String, byte[]> SOURCES = load(Map.ofEntries(
      Map.entry("buffer", "buffer.mjs"),
      Map.entry("crypto", "crypto.mjs"),
      Map.entry("events", "events.mjs"),
      Map.entry("module", "module.mjs"),
      Map.entry("path", "path.mjs"),
      Map.entry("path/posix", "path.mjs"),
      Map.entry("process", "process.mjs"),
      Map.entry("querystring", "querystring.mjs"),
      Map.entry("string_decoder", "string_decoder.mjs"),
      Map.entry("timers", "timers.mjs"),
      Map.entry("timers/promises", "timers-promises.mjs"),
      Map.entry("url", "url.mjs"),
      Map.entry("util", "util.mjs")));

  private NodeModules() {
  }

  /**
   * The bundle path {@code node:<name>} is served at, {@code uri} having the scheme {@link #URI_SCHEME}: one segment
   * at the root, the name's {@code /} written as {@code :} (which no module name holds), so that no name, however
   * it is written ({@code node:timers/../index.mjs}), reaches a file of the bundle or resolves like a path.
   */
  static BundlePath pathOf(URI uri) {
    String name = uri.getSchemeSpecificPart();
    return BundlePath.parse(BundlePath.SEPARATOR + PREFIX + (name == null ? "" : name.replace('/', ':')));
  }

  /**
   * Where a bare specifier that names one of the modules here ({@code import { EventEmitter } from 'events'}, as
   * code written before the {@code node:} prefix does) is served, or {@code null} for any other. There, a module
   * re-exports the {@code node:} one, so both spellings in one bundle share one module (one EventEmitter class).
   * The caller looks in the bundle first: a bundle file of that name is what a bare name finds.
   */
  static BundlePath bareNamePath(String specifier) {
    return SOURCES.containsKey(specifier)
        ? BundlePath.parse(BundlePath.SEPARATOR + BARE_PREFIX + specifier.replace('/', ':')) : null;
  }

  /** Whether {@code path} (absolute, normalized) is where a {@code node:} module, or a bare name's, is served. */
  static boolean isNodePath(BundlePath path) {
    if (path.getNameCount() == 0) {
      return false;
    }
    String first = path.getName(0).toString();
    return first.startsWith(PREFIX) || first.startsWith(BARE_PREFIX);
  }

  /**
   * The source of the module served at {@code path} ({@link #isNodePath}).
   *
   * @throws NoSuchFileException naming the specifier and the modules there are, when there is no such module
   */
  static byte[] source(BundlePath path) throws NoSuchFileException {
    String first = path.getName(0).toString();
    boolean bare = first.startsWith(BARE_PREFIX);
    String name = first.substring(bare ? BARE_PREFIX.length() : PREFIX.length()).replace(':', '/');
    byte[] source = path.getNameCount() == 1 ? SOURCES.get(name) : null;
    if (bare && source != null) {
      String module = "'" + PREFIX + name + "'";
      return ("export * from " + module + ";\nexport { default } from " + module + ";\n")
          .getBytes(StandardCharsets.UTF_8);
    }
    if (source == null) {
      throw new NoSuchFileException(PREFIX + name, null, "code-sous has no module " + PREFIX + name + "; it has "
          + SOURCES.keySet().stream().map(n -> PREFIX + n).collect(Collectors.joining(", ")));
    }
    return source;
  }

  /** The names of the modules here, what follows {@code node:}, in order. */
  static Set<String> names() {
    return SOURCES.keySet();
  }

  private static Map<String, byte[]> load(Map<String, String> resources) {
    Map<String, byte[]> sources = new LinkedHashMap<>();
    resources.keySet().stream().sorted().forEach(name -> {
      String resource = "node/" + resources.get(name);
      try (InputStream in = NodeModules.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing runtime resource " + resource);
        }
        sources.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return Collections.unmodifiableMap(sources);
  }
}
