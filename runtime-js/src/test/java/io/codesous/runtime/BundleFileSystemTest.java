package io.codesous.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BundleFileSystemTest {

  private final BundleFileSystem fs = new BundleFileSystem(Map.of(
      "index.mjs", bytes("export {};"),
      "lib/util.mjs", bytes("export const x = 1;"),
      "../escaped.mjs", bytes("unreachable")));

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] read(String path) throws IOException {
    try (SeekableByteChannel channel = fs.newByteChannel(fs.parsePath(path), Set.of(StandardOpenOption.READ))) {
      ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // keep reading
      }
      return buffer.array();
    }
  }

  @Test
  void servesBundleFilesByNormalizedPath() throws IOException {
    assertArrayEquals(bytes("export const x = 1;"), read("/lib/util.mjs"));
    assertArrayEquals(bytes("export const x = 1;"), read("/lib/../lib/./util.mjs"));
    assertArrayEquals(bytes("export const x = 1;"), read("lib/util.mjs"));
  }

  @Test
  void relativePathsResolveAgainstTheWorkingDirectory() throws IOException {
    fs.setCurrentWorkingDirectory(fs.parsePath("/lib"));

    assertArrayEquals(bytes("export const x = 1;"), read("util.mjs"));
    assertArrayEquals(bytes("export {};"), read("../index.mjs"));
    assertEquals(fs.parsePath("/lib/util.mjs"), fs.toAbsolutePath(fs.parsePath("util.mjs")));
  }

  @Test
  void refusesPathsAboveTheRoot() {
    assertThrows(AccessDeniedException.class, () -> read("/../escaped.mjs"));
    assertThrows(AccessDeniedException.class, () -> read("../escaped.mjs"));
    assertThrows(AccessDeniedException.class, () -> read("/lib/../../escaped.mjs"));
    assertThrows(AccessDeniedException.class, () -> fs.checkAccess(fs.parsePath("/.."), Set.of()));
    assertThrows(IllegalArgumentException.class, () -> fs.setCurrentWorkingDirectory(fs.parsePath("/../x")));
  }

  @Test
  void filesOutsideTheBundleDoNotExist() {
    assertThrows(NoSuchFileException.class, () -> read("/etc/passwd"));
    assertThrows(NoSuchFileException.class, () -> fs.checkAccess(fs.parsePath("/etc"), Set.of()));
    assertThrows(NoSuchFileException.class, () -> fs.toRealPath(fs.parsePath("/nope.mjs")));
  }

  @Test
  void acceptsOnlyFileUris() {
    assertEquals(fs.parsePath("/lib/util.mjs"), fs.parsePath(URI.create("file:///lib/util.mjs")));
    assertThrows(UnsupportedOperationException.class, () -> fs.parsePath(URI.create("https://example.com/a.mjs")));
    assertThrows(UnsupportedOperationException.class, () -> fs.parsePath(URI.create("jar:file:///a.jar!/b")));
    assertThrows(IllegalArgumentException.class, () -> fs.parsePath(URI.create("file://host/share/a.mjs")));
  }

  @Test
  void isReadOnly() {
    Path file = fs.parsePath("/index.mjs");
    for (OpenOption option : new OpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.APPEND,
        StandardOpenOption.CREATE, StandardOpenOption.CREATE_NEW, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.DELETE_ON_CLOSE}) {
      assertThrows(AccessDeniedException.class, () -> fs.newByteChannel(file, Set.of(option)), option.toString());
    }
    assertThrows(AccessDeniedException.class, () -> fs.checkAccess(file, Set.of(AccessMode.WRITE)));
    assertThrows(AccessDeniedException.class, () -> fs.delete(file));
    assertThrows(AccessDeniedException.class, () -> fs.createDirectory(fs.parsePath("/new")));
    assertThrows(AccessDeniedException.class, () -> fs.newDirectoryStream(fs.parsePath("/lib"), p -> true));
  }

  @Test
  void reportsFilesAndImpliedDirectories() throws IOException {
    fs.checkAccess(fs.parsePath("/lib"), Set.of(AccessMode.READ));
    fs.checkAccess(fs.parsePath("/"), Set.of());

    Map<String, Object> file = fs.readAttributes(fs.parsePath("/lib/util.mjs"), "basic:size,isRegularFile");
    Map<String, Object> dir = fs.readAttributes(fs.parsePath("/lib"), "*");
    assertEquals(19L, file.get("size"));
    assertEquals(true, file.get("isRegularFile"));
    assertEquals(true, dir.get("isDirectory"));
    assertThrows(UnsupportedOperationException.class,
        () -> fs.readAttributes(fs.parsePath("/lib/util.mjs"), "posix:permissions"));
  }
}
