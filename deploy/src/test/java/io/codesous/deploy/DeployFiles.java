package io.codesous.deploy;

import io.codesous.platform.ConfigLoader;
import io.codesous.platform.PlatformOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The files under deploy/ the tests check, and the readers they are checked with. */
final class DeployFiles {

  /** deploy/: the module's own directory (Maven runs the tests there). */
  static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  static final Path CONFIG = ROOT.resolve("config");
  static final Path CHART = ROOT.resolve("helm/code-sous");
  static final Path COMPOSE = ROOT.resolve("compose");

  private DeployFiles() {
  }

  static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readMap(Path file) {
    try {
      return (Map<String, Object>) yaml().load(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A cs.yaml held as text (a ConfigMap entry), through the real loader with {@code env}. */
  static PlatformOptions loadConfig(String csYaml, Map<String, String> env, Path scratch, String name) {
    try {
      Path file = scratch.resolve(name);
      Files.writeString(file, csYaml);
      return ConfigLoader.load(file, env);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> list(Path dir, String suffix) {
    try (var files = Files.list(dir)) {
      return new ArrayList<>(files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
