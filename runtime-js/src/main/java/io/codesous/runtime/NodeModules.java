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
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The {@code node:} modules a function may import ({@code import { Buffer } from 'node:buffer'}): small ES modules
 * that hand out what the runtime already has as globals (Buffer, process, URL, timers, Web Crypto, with Node.js's
 * hashes over the JDK), and npm packages that are Node.js's modules for other platforms ({@code events},
 * {@code path-browserify}, {@code util}, {@code querystring-es3}, {@code string_decoder}: runtime-js/web/build.sh),
 * so code written for Node.js, and bundles built for it, load unchanged where they only need those;
 * {@code process.getBuiltinModule} and {@code node:module}'s {@code createRequire} hand them out without an import, to
 * CommonJS code among others ({@link #LOAD}). Any other
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
      Map.entry("assert", "assert.mjs"),
      Map.entry("assert/strict", "assert-strict.mjs"),
      Map.entry("async_hooks", "async_hooks.mjs"),
      Map.entry("buffer", "buffer.mjs"),
      Map.entry("crypto", "crypto.mjs"),
      Map.entry("diagnostics_channel", "diagnostics_channel.mjs"),
      Map.entry("events", "events.mjs"),
      Map.entry("http", "http.mjs"),
      Map.entry("https", "https.mjs"),
      Map.entry("module", "module.mjs"),
      Map.entry("os", "os.mjs"),
      Map.entry("path", "path.mjs"),
      Map.entry("path/posix", "path.mjs"),
      Map.entry("perf_hooks", "perf_hooks.mjs"),
      Map.entry("process", "process.mjs"),
      Map.entry("punycode", "punycode.mjs"),
      Map.entry("querystring", "querystring.mjs"),
      Map.entry("stream", "stream.mjs"),
      Map.entry("stream/promises", "stream-promises.mjs"),
      Map.entry("stream/web", "stream-web.mjs"),
      Map.entry("string_decoder", "string_decoder.mjs"),
      Map.entry("timers", "timers.mjs"),
      Map.entry("timers/promises", "timers-promises.mjs"),
      Map.entry("url", "url.mjs"),
      Map.entry("util", "util.mjs"),
      Map.entry("util/types", "util-types.mjs"),
      Map.entry("zlib", "zlib.mjs")));

  /**
   * What the modules above that are written for the sandbox share ({@code node:internal/errors}, the HTTP client of
   * {@code node:http} and {@code node:https}, the classes built on first use): served to an import by its
   * {@code node:} name as they are, but not one of Node.js's modules, so neither listed, nor required, nor found by a
   * bare name.
   */
  private static final Map<String, byte[]> INTERNAL = load(Map.of("internal/errors", "internal-errors.mjs",
      "internal/http", "http-client.mjs", "internal/lazy-class", "internal-lazy-class.mjs"));

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
   * Node.js's own modules (Node.js 20's {@code require('module').builtinModules}, less its internal {@code _} ones):
   * a bare name among them that the runtime lacks ({@code import fs from 'fs'}) is refused as its {@code node:}
   * spelling is, naming the modules there are, rather than as a file the bundle lacks.
   */
  private static final Set<String> NODE_BUILTINS = Set.of("assert", "assert/strict", "async_hooks", "buffer",
      "child_process", "cluster", "console", "constants", "crypto", "dgram", "diagnostics_channel", "dns",
      "dns/promises", "domain", "events", "fs", "fs/promises", "http", "http2", "https", "inspector",
      "inspector/promises", "module", "net", "os", "path", "path/posix", "path/win32", "perf_hooks", "process",
      "punycode", "querystring", "readline", "readline/promises", "repl", "stream", "stream/consumers",
      "stream/promises", "stream/web", "string_decoder", "sys", "timers", "timers/promises", "tls", "trace_events",
      "tty", "url", "util", "util/types", "v8", "vm", "wasi", "worker_threads", "zlib");

  /**
   * Where a bare specifier that names one of Node.js's modules is served, or {@code null} for any other. For one of
   * the modules here ({@code import { EventEmitter } from 'events'}, as code written before the {@code node:} prefix
   * does), a module that re-exports the {@code node:} one, so both spellings in one bundle share one module (one
   * EventEmitter class); for one the runtime lacks ({@code fs}), its {@code node:} path, whose read fails naming the
   * modules there are. The caller looks in the bundle first: a bundle file of that name is what a bare name finds.
   */
  static BundlePath bareNamePath(String specifier) {
    if (SOURCES.containsKey(specifier)) {
      return BundlePath.parse(BundlePath.SEPARATOR + BARE_PREFIX + specifier.replace('/', ':'));
    }
    return NODE_BUILTINS.contains(specifier)
        ? BundlePath.parse(BundlePath.SEPARATOR + PREFIX + specifier.replace('/', ':')) : null;
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
    byte[] source = path.getNameCount() != 1 ? null : bare ? SOURCES.get(name)
        : SOURCES.getOrDefault(name, INTERNAL.get(name));
    if (bare && source != null) {
      return reexport(name).getBytes(StandardCharsets.UTF_8);
    }
    if (source == null) {
      throw new NoSuchFileException(PREFIX + name, null, "code-sous has no module " + PREFIX + name + "; it has "
          + SOURCES.keySet().stream().map(n -> PREFIX + n).collect(Collectors.joining(", ")));
    }
    return source;
  }

  /** A module that is the {@code node:} module of that name: its exports, its default export among them. */
  private static String reexport(String name) {
    String module = "'" + PREFIX + name + "'";
    return "export * from " + module + ";\nexport { default } from " + module + ";\n";
  }

  /** Per name, a module re-exporting its {@code node:} module, which {@link #LOAD} evaluates. */
  private static final Map<String, Source> LOADERS = SOURCES.keySet().stream().collect(Collectors.toUnmodifiableMap(
      name -> name, name -> Source.newBuilder("js", reexport(name), "getBuiltinModule:" + name)
          .mimeType(ContextFactory.moduleMimeType()).buildLiteral()));

  /**
   * The host side of {@code process.getBuiltinModule} (cs-runtime.js): given a module's name, the namespace of its
   * {@code node:} module evaluated in the calling context through a module that re-exports it, so that it is the
   * instance an import of it gets (the module map keys it by specifier) and is evaluated at most once; {@code null}
   * for a name there is no module of. Evaluated there and then, on the guest's thread, also while the guest's own
   * module is being evaluated (a bundle's CommonJS code requires at its top level).
   */
  static final ProxyExecutable LOAD = arguments -> {
    Source loader = arguments.length == 1 && arguments[0].isString() ? LOADERS.get(arguments[0].asString()) : null;
    return loader == null ? null : Context.getCurrent().eval(loader);
  };

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
