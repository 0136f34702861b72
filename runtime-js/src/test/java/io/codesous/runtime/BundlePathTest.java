package io.codesous.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BundlePathTest {

  private static Path p(String s) {
    return BundlePath.parse(s);
  }

  @ParameterizedTest
  @CsvSource({
      "/a/b/../c, /a/c",
      "/a/./b/, /a/b",
      "//a///b, /a/b",
      "/.., /..",
      "/a/../../b, /../b",
      "a/../../b, ../b",
      "./a, a",
      "/, /",
  })
  void normalizeKeepsClimbsAboveTheRoot(String path, String normalized) {
    assertEquals(normalized, p(path).normalize().toString());
  }

  @ParameterizedTest
  @CsvSource({
      "/a/b, false",
      "a/b, false",
      "/a/../.., true",
      "../x, true",
      "/a/../b/../.., true",
  })
  void escapesRootTellsWhetherThePathLeavesTheBundle(String path, boolean escapes) {
    assertEquals(escapes, BundlePath.parse(path).escapesRoot());
  }

  @Test
  void navigationFollowsPathSemantics() {
    Path file = p("/lib/text/upper.mjs");

    assertTrue(file.isAbsolute());
    assertEquals(p("/lib/text"), file.getParent());
    assertEquals(p("upper.mjs"), file.getFileName());
    assertEquals(3, file.getNameCount());
    assertEquals(p("text"), file.getName(1));
    assertEquals(p("text/upper.mjs"), file.subpath(1, 3));
    assertEquals(BundlePath.ROOT, file.getRoot());
    assertEquals(BundlePath.ROOT, p("/x").getParent());
    assertNull(p("x").getParent());
    assertNull(p("x").getRoot());
    assertEquals(p("/lib/text/lower.mjs"), file.resolveSibling("lower.mjs"));
    assertEquals(p("/other"), file.resolve("/other"));
    assertEquals(p("../../a/b"), file.getParent().relativize(p("/a/b")));
    assertTrue(file.startsWith("/lib"));
    assertFalse(file.startsWith("lib"));
    assertTrue(file.endsWith("text/upper.mjs"));
    assertEquals(p("/a/b"), p("a/b").toAbsolutePath());
    List<Path> names = new ArrayList<>();
    file.forEach(names::add);
    assertEquals(List.of(p("lib"), p("text"), p("upper.mjs")), names);
  }

  @Test
  void uriIsAFileUriBuiltWithoutTheHostFileSystem() {
    assertEquals(URI.create("file:///lib/a%20b.mjs"), p("/lib/a b.mjs").toUri());
    assertEquals(URI.create("file:///x.mjs"), p("x.mjs").toUri());
  }

  @Test
  void bundlePathsNeverLeadToTheHostFileSystem() {
    Path path = p("/etc/passwd");

    assertThrows(UnsupportedOperationException.class, path::toFile);
    assertThrows(UnsupportedOperationException.class, path::getFileSystem);
    assertThrows(InvalidPathException.class, () -> BundlePath.parse("a\0b"));
  }
}
