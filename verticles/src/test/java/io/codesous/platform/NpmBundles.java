package io.codesous.platform;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

/**
 * The real npm bundles of {@code bundles/}: built once per JVM with {@code bundles/build.sh} (esbuild over the pinned
 * packages) when {@code dist} is missing or older than a source, then read as the file a function's bundle holds.
 */
final class NpmBundles {

  private static Path built;

  private NpmBundles() {
  }

  /** The text of {@code bundles/dist/<name>.mjs}, building first when needed. */
  static synchronized String read(String name) {
    try {
      return Files.readString(dist().resolve(name + ".mjs"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the bundle " + name, e);
    }
  }

  private static Path dist() throws IOException {
    if (built != null) {
      return built;
    }
    Path bundles = root().resolve("bundles");
    Path dist = bundles.resolve("dist");
    if (stale(bundles.resolve("src"), dist)) {
      Process process;
      try {
        process = new ProcessBuilder("bash", bundles.resolve("build.sh").toString())
            .redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new IllegalStateException("bundles/build.sh could not start (bash, node and npm are needed)", e);
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (process.waitFor() != 0) {
          fail("bundles/build.sh failed (node and npm are needed, and the npm registry on first use):\n" + output);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IllegalStateException("interrupted while bundling", e);
      }
    }
    built = dist;
    return dist;
  }

  /** Whether a source is newer than the oldest bundle, or there is no bundle. */
  private static boolean stale(Path sources, Path dist) throws IOException {
    if (!Files.isDirectory(dist)) {
      return true;
    }
    FileTime newestSource = newest(sources);
    try (Stream<Path> outputs = Files.list(dist)) {
      long count = outputs.count();
      try (Stream<Path> sourceFiles = Files.list(sources)) {
        if (count < sourceFiles.count()) {
          return true;
        }
      }
    }
    try (Stream<Path> outputs = Files.list(dist)) {
      return outputs.anyMatch(output -> {
        try {
          return Files.getLastModifiedTime(output).compareTo(newestSource) < 0;
        } catch (IOException e) {
          return true;
        }
      });
    }
  }

  private static FileTime newest(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(file -> {
        try {
          return Files.getLastModifiedTime(file);
        } catch (IOException e) {
          return FileTime.fromMillis(Long.MAX_VALUE);
        }
      }).max(FileTime::compareTo).orElse(FileTime.fromMillis(0));
    }
  }

  /** The repository root: the first directory upwards from the working directory that holds bundles/build.sh. */
  private static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("bundles").resolve("build.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no bundles/build.sh above " + Path.of("").toAbsolutePath());
  }
}
