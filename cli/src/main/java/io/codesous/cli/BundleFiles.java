package io.codesous.cli;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads a directory into the {@code files} member of a draft upload: path (relative, {@code /}
 * separated) to content, the content a string when the bytes are valid UTF-8 and
 * {@code {"base64": …}} otherwise, which is how the API tells text from binary.
 *
 * <p>Entries whose name starts with {@code .} are left out ({@code .git}, {@code .env},
 * editor files): they are rarely meant to ship, and {@code .env} often holds credentials.
 */
final class BundleFiles {

  private BundleFiles() {
  }

  static JsonObject read(Path dir) throws CliException {
    if (!Files.isDirectory(dir)) {
      throw CliException.usage("DIR: not a directory: " + dir);
    }
    TreeMap<String, Path> files = new TreeMap<>();
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
          return !d.equals(dir) && hidden(d) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile() && !hidden(file)) {
            files.put(relative(dir, file), file);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw CliException.usage("DIR: cannot read " + dir + ": " + e.getMessage());
    }
    if (files.isEmpty()) {
      throw CliException.usage("DIR: " + dir + " holds no files to deploy");
    }
    JsonObject out = new JsonObject();
    for (var entry : files.entrySet()) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(entry.getValue());
      } catch (IOException e) {
        throw CliException.usage("DIR: cannot read " + entry.getValue() + ": " + e.getMessage());
      }
      String text = utf8(bytes);
      out.put(entry.getKey(), text != null ? text
          : new JsonObject().put("base64", Base64.getEncoder().encodeToString(bytes)));
    }
    return out;
  }

  /** The text, or null when the bytes are not valid UTF-8. */
  static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean hidden(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  private static String relative(Path dir, Path file) {
    List<String> parts = new ArrayList<>();
    for (Path part : dir.relativize(file)) {
      parts.add(part.toString());
    }
    return String.join("/", parts);
  }
}
