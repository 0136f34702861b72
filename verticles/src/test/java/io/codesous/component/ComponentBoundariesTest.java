package io.codesous.component;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Components meet only through the ports, the spec and the libraries below them, and only the composition root
 * knows them all. Read from the sources, so a new import across a boundary fails the build where it is written.
 */
class ComponentBoundariesTest {

  private static final Path SOURCES = Path.of("src/main/java/io/codesous");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.codesous\\.([a-z]+)[.;]",
      Pattern.MULTILINE);
  /** What each package of this module may import from this module; the rest of io.codesous is other modules. */
  private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("control", Set.of("component", "http", "store", "observe")),
      Map.entry("gateway", Set.of("component", "http", "store", "results", "observe")),
      Map.entry("invoker", Set.of("component", "store", "observe")),
      Map.entry("scheduler", Set.of("component", "store", "results", "observe")),
      Map.entry("cadence", Set.of("component", "store", "results", "observe")),
      Map.entry("http", Set.of("observe")),
      Map.entry("observe", Set.of()),
      Map.entry("store", Set.of()),
      Map.entry("results", Set.of()),
      Map.entry("component", Set.of()),
      Map.entry("platform", Set.of("component", "control", "gateway", "invoker", "scheduler", "cadence", "http",
          "store", "observe")));
  private static final Set<String> MODULE_PACKAGES = ALLOWED.keySet();

  @Test
  void noPackageImportsAnotherItIsNotAllowedToKnow() {
    List<String> crossings = new ArrayList<>();
    for (Path file : javaFiles(SOURCES)) {
      String own = SOURCES.relativize(file).getName(0).toString();
      assertTrue(MODULE_PACKAGES.contains(own), "package " + own + " has no entry in the boundary table");
      Matcher imports = IMPORT.matcher(read(file));
      while (imports.find()) {
        String target = imports.group(1);
        if (!target.equals(own) && MODULE_PACKAGES.contains(target) && !ALLOWED.get(own).contains(target)) {
          crossings.add(SOURCES.relativize(file) + " imports io.codesous." + target);
        }
      }
    }
    assertEquals(List.of(), crossings);
  }

  @Test
  void theScanSeesTheImportsItJudges() {
    // a table that matched nothing would pass for any source tree: the composition root (Platform and the
    // assembly classes of its package) must be seen importing the components
    List<String> seen = new ArrayList<>();
    for (Path file : javaFiles(SOURCES.resolve("platform"))) {
      Matcher imports = IMPORT.matcher(read(file));
      while (imports.find()) {
        seen.add(imports.group(1));
      }
    }
    assertTrue(seen.containsAll(List.of("gateway", "invoker", "control", "component")), seen.toString());
  }

  @Test
  void theAuthModuleNeedsNoQueue() {
    Path auth = Path.of("../auth/src/main/java");
    List<String> queueImports = javaFiles(auth).stream()
        .filter(file -> read(file).contains("import io.codesous.codeq."))
        .map(Path::toString)
        .toList();
    assertEquals(List.of(), queueImports);
  }

  private static List<Path> javaFiles(Path root) {
    assertTrue(Files.isDirectory(root), root.toAbsolutePath() + " not found; run from the module directory");
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
