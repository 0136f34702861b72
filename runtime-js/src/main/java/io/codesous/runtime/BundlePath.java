package io.codesous.runtime;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A path in the virtual file system of one bundle, where {@code /} is the bundle root.
 *
 * <p>A pure value. The default file system's paths are not used on purpose: some of their methods touch the host
 * file system ({@code UnixPath.toUri()} stats the file to decide whether to append a slash), and the sandbox must
 * never do that.
 *
 * <p>{@link #normalize()} keeps {@code ..} segments that would climb above the root instead of dropping them, so
 * that {@link BundleFileSystem} can refuse such a path rather than quietly clamping it to the root.
 */
final class BundlePath implements Path {

  static final String SEPARATOR = "/";
  static final String URI_SCHEME = "file";
  static final BundlePath ROOT = new BundlePath(true, List.of());

  private static final String PARENT = "..";
  private static final String CURRENT = ".";

  private final boolean absolute;
  /** Non-empty segments, never containing the separator. */
  private final List<String> names;

  private BundlePath(boolean absolute, List<String> names) {
    this.absolute = absolute;
    this.names = names;
  }

  /** Parses a {@code /}-separated path; repeated separators collapse, a leading one makes the path absolute. */
  static BundlePath parse(String path) {
    if (path.indexOf('\0') >= 0) {
      throw new InvalidPathException(path, "NUL character in path");
    }
    List<String> names = new ArrayList<>();
    for (String segment : path.split(SEPARATOR)) {
      if (!segment.isEmpty()) {
        names.add(segment);
      }
    }
    return new BundlePath(path.startsWith(SEPARATOR), Collections.unmodifiableList(names));
  }

  /**
   * Whether this path, taken as relative to the root when it is not absolute, points above the root once
   * normalized.
   */
  boolean escapesRoot() {
    return ((BundlePath) toAbsolutePath().normalize()).names.contains(PARENT);
  }

  private static BundlePath of(boolean absolute, List<String> names) {
    return absolute && names.isEmpty() ? ROOT : new BundlePath(absolute, List.copyOf(names));
  }

  private static BundlePath cast(Path path) {
    if (path instanceof BundlePath bundlePath) {
      return bundlePath;
    }
    throw new ProviderMismatchException("not a bundle path: " + path);
  }

  /**
   * Bundle paths belong to no {@code java.nio} file system; anything that would reach one from here would be a way
   * to the host file system.
   */
  @Override
  public FileSystem getFileSystem() {
    throw new UnsupportedOperationException("bundle paths have no java.nio file system");
  }

  @Override
  public boolean isAbsolute() {
    return absolute;
  }

  @Override
  public Path getRoot() {
    return absolute ? ROOT : null;
  }

  @Override
  public Path getFileName() {
    return names.isEmpty() ? null : new BundlePath(false, List.of(names.get(names.size() - 1)));
  }

  @Override
  public Path getParent() {
    if (names.isEmpty() || (names.size() == 1 && !absolute)) {
      return null;
    }
    return of(absolute, names.subList(0, names.size() - 1));
  }

  @Override
  public int getNameCount() {
    return names.size();
  }

  @Override
  public Path getName(int index) {
    return new BundlePath(false, List.of(names.get(index)));
  }

  @Override
  public Path subpath(int beginIndex, int endIndex) {
    if (beginIndex < 0 || endIndex > names.size() || beginIndex >= endIndex) {
      throw new IllegalArgumentException("invalid subpath range " + beginIndex + ".." + endIndex);
    }
    return of(false, names.subList(beginIndex, endIndex));
  }

  @Override
  public boolean startsWith(Path other) {
    if (!(other instanceof BundlePath prefix)) {
      return false;
    }
    return prefix.absolute == absolute && prefix.names.size() <= names.size()
        && names.subList(0, prefix.names.size()).equals(prefix.names);
  }

  @Override
  public boolean startsWith(String other) {
    return startsWith(parse(other));
  }

  @Override
  public boolean endsWith(Path other) {
    if (!(other instanceof BundlePath suffix)) {
      return false;
    }
    if (suffix.absolute) {
      return equals(suffix);
    }
    int offset = names.size() - suffix.names.size();
    return offset >= 0 && names.subList(offset, names.size()).equals(suffix.names);
  }

  @Override
  public boolean endsWith(String other) {
    return endsWith(parse(other));
  }

  @Override
  public Path normalize() {
    List<String> result = new ArrayList<>(names.size());
    for (String name : names) {
      if (name.equals(CURRENT)) {
        continue;
      }
      if (name.equals(PARENT) && !result.isEmpty() && !result.get(result.size() - 1).equals(PARENT)) {
        result.remove(result.size() - 1);
      } else {
        result.add(name);
      }
    }
    return of(absolute, result);
  }

  @Override
  public Path resolve(Path other) {
    BundlePath child = cast(other);
    if (child.absolute) {
      return child;
    }
    if (child.names.isEmpty()) {
      return this;
    }
    List<String> joined = new ArrayList<>(names);
    joined.addAll(child.names);
    return of(absolute, joined);
  }

  @Override
  public Path resolve(String other) {
    return resolve(parse(other));
  }

  @Override
  public Path resolveSibling(String other) {
    return resolveSibling(parse(other));
  }

  @Override
  public Path relativize(Path other) {
    BundlePath target = cast(other);
    if (target.absolute != absolute) {
      throw new IllegalArgumentException("cannot relativize " + other + " against " + this);
    }
    int common = 0;
    while (common < names.size() && common < target.names.size()
        && names.get(common).equals(target.names.get(common))) {
      common++;
    }
    List<String> result = new ArrayList<>();
    for (int i = common; i < names.size(); i++) {
      result.add(PARENT);
    }
    result.addAll(target.names.subList(common, target.names.size()));
    return of(false, result);
  }

  @Override
  public URI toUri() {
    try {
      // An empty authority gives the usual "file:///path" form.
      return new URI(URI_SCHEME, "", toAbsolutePath().toString(), null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot form a URI from " + this, e);
    }
  }

  @Override
  public Path toAbsolutePath() {
    return absolute ? this : ROOT.resolve(this);
  }

  @Override
  public Path toRealPath(LinkOption... options) {
    return toAbsolutePath().normalize();
  }

  @Override
  public File toFile() {
    throw new UnsupportedOperationException("bundle paths are not host files");
  }

  @Override
  public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
    throw new UnsupportedOperationException("bundle paths cannot be watched");
  }

  @Override
  public int compareTo(Path other) {
    return toString().compareTo(cast(other).toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BundlePath p && p.absolute == absolute && p.names.equals(names);
  }

  @Override
  public int hashCode() {
    return names.hashCode() * 31 + (absolute ? 1 : 0);
  }

  @Override
  public String toString() {
    String joined = String.join(SEPARATOR, names);
    return absolute ? SEPARATOR + joined : joined;
  }
}
