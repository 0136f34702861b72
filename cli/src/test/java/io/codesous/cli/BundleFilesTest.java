package io.codesous.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BundleFilesTest {

  @TempDir
  Path dir;

  @Test
  void textAsIsBinaryAsBase64HiddenLeftOut() throws Exception {
    Files.createDirectories(dir.resolve("lib/deep"));
    Files.createDirectories(dir.resolve(".git"));
    Files.writeString(dir.resolve("index.mjs"), "export const handler = () => ({ statusCode: 200, body: 'é' });\n");
    Files.writeString(dir.resolve("lib/deep/x.txt"), "x");
    Files.write(dir.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff});
    Files.writeString(dir.resolve(".env"), "TOKEN=secret");
    Files.writeString(dir.resolve(".git/HEAD"), "ref");

    JsonObject files = BundleFiles.read(dir);

    assertEquals(List.of("index.mjs", "lib/deep/x.txt", "logo.png"), List.copyOf(files.fieldNames()));
    assertEquals("export const handler = () => ({ statusCode: 200, body: 'é' });\n", files.getString("index.mjs"));
    assertEquals("x", files.getString("lib/deep/x.txt"));
    assertEquals(new JsonObject().put("base64", "iVBORwD/"), files.getJsonObject("logo.png"));
  }

  @Test
  void anEmptyDirectoryOrAFileIsBadInput() throws Exception {
    assertEquals(CliException.USAGE, assertThrows(CliException.class, () -> BundleFiles.read(dir)).exitCode());
    Path file = Files.writeString(dir.resolve("a.mjs"), "");
    assertEquals(CliException.USAGE, assertThrows(CliException.class, () -> BundleFiles.read(file)).exitCode());
  }
}
