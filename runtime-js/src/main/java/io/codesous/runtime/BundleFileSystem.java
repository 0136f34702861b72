package io.codesous.runtime;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The only file system a guest context sees: the files of one bundle, read-only, rooted at {@code /}.
 *
 * <p>GraalJS resolves ES module imports through it, so {@code import './lib/util.mjs'} reads from the bundle map.
 * Nothing here reaches the host file system: paths are {@link BundlePath} values and contents come from memory.
 * Paths that climb above the bundle root, URIs of another scheme and every kind of write are refused with an
 * {@link IOException} (or the exception the {@link FileSystem} contract asks for), which fails the import. The one
 * other scheme, {@code node:}, names the runtime's own modules ({@link NodeModules}), which every bundle sees at
 * {@code /node:<name>}; they take precedence over a bundle file of that name.
 */
final class BundleFileSystem implements FileSystem {

  private static final FileTime EPOCH = FileTime.fromMillis(0);

  /** Normalized absolute path to content. */
  private final Map<BundlePath, byte[]> files;
  /** Every directory implied by a file's path, including the root. */
  private final Set<BundlePath> directories;
  /**
   * What relative paths resolve against. GraalJS resolves the relative imports of a module that has no path (the
   * entry, which is evaluated from a cached literal source) against it, so the runtime sets it to the entry's
   * directory.
   */
  private volatile BundlePath workingDirectory = BundlePath.ROOT;
  /** What the {@code node:} modules' sources are served as (the module check guards them as it guards the bundle). */
  private final UnaryOperator<byte[]> nodeSources;

  BundleFileSystem(Map<String, byte[]> bundleFiles) {
    this(bundleFiles, UnaryOperator.identity());
  }

  /** @param nodeSources turns a {@code node:} module's source into what this file system serves for it */
  BundleFileSystem(Map<String, byte[]> bundleFiles, UnaryOperator<byte[]> nodeSources) {
    this.nodeSources = nodeSources;
    this.files = new HashMap<>();
    this.directories = new HashSet<>();
    directories.add(BundlePath.ROOT);
    bundleFiles.forEach((name, content) -> {
      BundlePath path = pathOf(name);
      // A bundle entry whose own name climbs out of the root is unreachable rather than an error: the bundle was
      // validated when it was stored, and an activation should not fail over a file it never imports.
      if (path.escapesRoot() || content == null) {
        return;
      }
      files.put(path, content);
      for (Path dir = path.getParent(); dir != null; dir = dir.getParent()) {
        directories.add((BundlePath) dir);
      }
    });
  }

  /** The absolute, normalized path of a bundle file name such as the request's {@code entry}. */
  static BundlePath pathOf(String bundleFileName) {
    return (BundlePath) BundlePath.parse(BundlePath.SEPARATOR + bundleFileName).normalize();
  }

  /** The content of a bundle file, or {@code null}; {@code path} as returned by {@link #pathOf(String)}. */
  byte[] content(BundlePath path) {
    return files.get(path);
  }

  /**
   * The content of the file at {@code resolved} (absolute, normalized): a {@code node:} module's source, or a bundle
   * file's, or {@code null} when the bundle has no such file.
   *
   * @throws NoSuchFileException for a {@code node:} module the runtime does not have, naming those it has
   */
  private byte[] contentAt(BundlePath resolved) throws NoSuchFileException {
    return NodeModules.isNodePath(resolved) ? nodeSources.apply(NodeModules.source(resolved)) : files.get(resolved);
  }

  /** Resolves a path the guest asked for, refusing any that leaves the bundle. */
  private BundlePath inside(Path path) throws AccessDeniedException {
    if (!(path instanceof BundlePath)) {
      throw new AccessDeniedException(String.valueOf(path), null, "not a bundle path");
    }
    BundlePath resolved = (BundlePath) toAbsolutePath(path).normalize();
    if (resolved.escapesRoot()) {
      throw new AccessDeniedException(path.toString(), null, "path is outside the bundle");
    }
    return resolved;
  }

  private static AccessDeniedException readOnly(Path path) {
    return new AccessDeniedException(String.valueOf(path), null, "the bundle file system is read-only");
  }

  @Override
  public Path parsePath(URI uri) {
    if (NodeModules.URI_SCHEME.equals(uri.getScheme())) {
      return NodeModules.pathOf(uri);
    }
    if (!BundlePath.URI_SCHEME.equals(uri.getScheme())) {
      throw new UnsupportedOperationException("unsupported URI scheme: " + uri.getScheme());
    }
    if (uri.getPath() == null || uri.getAuthority() != null) {
      throw new IllegalArgumentException("not a bundle URI: " + uri);
    }
    return BundlePath.parse(uri.getPath());
  }

  /**
   * A bare specifier naming one of the runtime's {@code node:} modules ({@code 'events'}) is that module, unless the
   * bundle has a file or directory of that name, which GraalJS looks up as it looks up every bare specifier.
   */
  @Override
  public Path parsePath(String path) {
    BundlePath parsed = BundlePath.parse(path);
    BundlePath builtin = NodeModules.bareNamePath(path);
    if (builtin != null) {
      BundlePath inBundle = (BundlePath) toAbsolutePath(parsed).normalize();
      if (!files.containsKey(inBundle) && !directories.contains(inBundle)) {
        return builtin;
      }
    }
    return parsed;
  }

  @Override
  public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
    BundlePath resolved = inside(path);
    if (modes.contains(AccessMode.WRITE) || modes.contains(AccessMode.EXECUTE)) {
      throw readOnly(path);
    }
    if (contentAt(resolved) == null && !directories.contains(resolved)) {
      throw new NoSuchFileException(path.toString());
    }
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    throw readOnly(dir);
  }

  @Override
  public void delete(Path path) throws IOException {
    throw readOnly(path);
  }

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
      throws IOException {
    for (OpenOption option : options) {
      if (option != StandardOpenOption.READ && option != LinkOption.NOFOLLOW_LINKS) {
        throw readOnly(path);
      }
    }
    byte[] content = contentAt(inside(path));
    if (content == null) {
      throw new NoSuchFileException(path.toString());
    }
    return new ReadOnlyChannel(content);
  }

  /** Guests have no API that lists directories; module loading does not need it either. */
  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
      throws IOException {
    throw new AccessDeniedException(dir.toString(), null, "listing bundle directories is not supported");
  }

  @Override
  public Path toAbsolutePath(Path path) {
    return path.isAbsolute() ? path : workingDirectory.resolve(path);
  }

  @Override
  public void setCurrentWorkingDirectory(Path directory) {
    if (!(directory instanceof BundlePath) || !directory.isAbsolute()) {
      throw new IllegalArgumentException("working directory must be an absolute bundle path: " + directory);
    }
    BundlePath normalized = (BundlePath) directory.normalize();
    if (normalized.escapesRoot()) {
      throw new IllegalArgumentException("working directory is outside the bundle: " + directory);
    }
    workingDirectory = normalized;
  }

  @Override
  public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
    BundlePath resolved = inside(path);
    if (contentAt(resolved) == null && !directories.contains(resolved)) {
      throw new NoSuchFileException(path.toString());
    }
    return resolved;
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
    int colon = attributes.indexOf(':');
    if (colon >= 0 && !attributes.substring(0, colon).equals("basic")) {
      throw new UnsupportedOperationException("unsupported attribute view: " + attributes.substring(0, colon));
    }
    BundlePath resolved = inside(path);
    byte[] content = contentAt(resolved);
    boolean directory = content == null && directories.contains(resolved);
    if (content == null && !directory) {
      throw new NoSuchFileException(path.toString());
    }
    // All basic attributes, whatever was asked for: the caller picks the ones it needs.
    Map<String, Object> result = new HashMap<>();
    result.put("isRegularFile", !directory);
    result.put("isDirectory", directory);
    result.put("isSymbolicLink", false);
    result.put("isOther", false);
    result.put("size", directory ? 0L : (long) content.length);
    result.put("lastModifiedTime", EPOCH);
    result.put("lastAccessTime", EPOCH);
    result.put("creationTime", EPOCH);
    result.put("fileKey", null);
    return result;
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
    throw readOnly(path);
  }

  @Override
  public void copy(Path source, Path target, java.nio.file.CopyOption... options) throws IOException {
    throw readOnly(target);
  }

  @Override
  public void move(Path source, Path target, java.nio.file.CopyOption... options) throws IOException {
    throw readOnly(target);
  }

  @Override
  public void createLink(Path link, Path existing) throws IOException {
    throw readOnly(link);
  }

  @Override
  public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
    throw readOnly(link);
  }

  @Override
  public Path readSymbolicLink(Path link) throws IOException {
    throw new AccessDeniedException(link.toString(), null, "bundles contain no symbolic links");
  }

  @Override
  public boolean isSameFile(Path path1, Path path2, LinkOption... options) throws IOException {
    return inside(path1).equals(inside(path2));
  }

  @Override
  public Charset getEncoding(Path path) {
    return StandardCharsets.UTF_8;
  }

  @Override
  public String getSeparator() {
    return BundlePath.SEPARATOR;
  }
}
