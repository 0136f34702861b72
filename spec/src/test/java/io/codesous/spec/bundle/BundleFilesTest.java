package io.codesous.spec.bundle;

import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleFilesTest {

  private static final int MAX = BundleFiles.DEFAULT_MAX_TOTAL_BYTES;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject sample() {
    return new JsonObject()
        .put("index.mjs", "export const handler = () => ({statusCode: 200});\n")
        .put("lib/util.mjs", "export const x = 1;\n")
        .put("data/blob.bin", new JsonObject().put("base64", Base64.getEncoder().encodeToString(new byte[] {0, 1, 2,
            (byte) 0xff})))
        .put("README.md", new JsonObject().put("text", "héllo ✓"));
  }

  // ---------------------------------------------------------------- determinism

  @Test
  void insertionOrderDoesNotMatter() {
    JsonObject forward = new JsonObject()
        .put("a.mjs", "A").put("b/c.mjs", "BC").put("b/a.mjs", "BA").put("Z.txt", "Z").put("a-b.txt", "AB");
    JsonObject backward = new JsonObject()
        .put("a-b.txt", "AB").put("Z.txt", "Z").put("b/a.mjs", "BA").put("b/c.mjs", "BC").put("a.mjs", "A");

    BundleFiles f = BundleFiles.fromUpload(forward, MAX);
    BundleFiles b = BundleFiles.fromUpload(backward, MAX);

    assertEquals(f.sha256(), b.sha256());
    assertArrayEquals(f.tar(), b.tar());
    assertEquals(List.of("Z.txt", "a-b.txt", "a.mjs", "b/a.mjs", "b/c.mjs"), new ArrayList<>(f.files().keySet()));
    assertEquals(new ArrayList<>(f.files().keySet()), new ArrayList<>(b.files().keySet()));
  }

  @Test
  void sameInputTwiceGivesSameBytes() {
    assertArrayEquals(BundleFiles.fromUpload(sample(), MAX).tar(), BundleFiles.fromUpload(sample(), MAX).tar());
  }

  @Test
  void oneChangedByteChangesTheHash() {
    BundleFiles a = BundleFiles.fromUpload(new JsonObject().put("index.mjs", "export default 1;"), MAX);
    BundleFiles b = BundleFiles.fromUpload(new JsonObject().put("index.mjs", "export default 2;"), MAX);
    assertNotEquals(a.sha256(), b.sha256());
    assertFalse(Arrays.equals(a.tar(), b.tar()));
  }

  @Test
  void renamedFileChangesTheHash() {
    BundleFiles a = BundleFiles.fromUpload(new JsonObject().put("index.mjs", "x"), MAX);
    BundleFiles b = BundleFiles.fromUpload(new JsonObject().put("index.js", "x"), MAX);
    assertNotEquals(a.sha256(), b.sha256());
  }

  @Test
  void contentMovedBetweenFilesChangesTheHash() {
    BundleFiles a = BundleFiles.fromUpload(new JsonObject().put("a", "xy").put("b", ""), MAX);
    BundleFiles b = BundleFiles.fromUpload(new JsonObject().put("a", "x").put("b", "y"), MAX);
    assertNotEquals(a.sha256(), b.sha256());
  }

  @Test
  void textTextObjectAndBase64OfTheSameBytesHashAlike() {
    String content = "export const greeting = 'héllo ✓';\n";
    BundleFiles plain = BundleFiles.fromUpload(new JsonObject().put("index.mjs", content), MAX);
    BundleFiles text = BundleFiles.fromUpload(new JsonObject().put("index.mjs",
        new JsonObject().put("text", content)), MAX);
    BundleFiles b64 = BundleFiles.fromUpload(new JsonObject().put("index.mjs",
        new JsonObject().put("base64", Base64.getEncoder().encodeToString(utf8(content)))), MAX);

    assertEquals(plain.sha256(), text.sha256());
    assertEquals(plain.sha256(), b64.sha256());
    assertArrayEquals(plain.tar(), b64.tar());
    assertArrayEquals(utf8(content), b64.files().get("index.mjs"));
  }

  @Test
  void base64KeepsBinaryBytesExactly() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    BundleFiles b = BundleFiles.fromUpload(new JsonObject().put("bin/all.bin",
        new JsonObject().put("base64", Base64.getEncoder().encodeToString(all))), MAX);
    assertArrayEquals(all, b.files().get("bin/all.bin"));
  }

  @Test
  void sha256IsTheHashOfTheTar() {
    BundleFiles b = BundleFiles.fromUpload(sample(), MAX);
    assertEquals(BundleFiles.sha256Hex(b.tar()), b.sha256());
    assertTrue(b.sha256().matches("^[0-9a-f]{64}$"), b.sha256());
  }

  @Test
  void sha256HexKnownVectors() {
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", BundleFiles.sha256Hex(new byte[0]));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", BundleFiles.sha256Hex(utf8("abc")));
  }

  // ---------------------------------------------------------------- accessors

  @Test
  void tarIsACopy() {
    BundleFiles b = BundleFiles.fromUpload(sample(), MAX);
    byte[] tar = b.tar();
    Arrays.fill(tar, (byte) 7);
    assertEquals(BundleFiles.sha256Hex(b.tar()), b.sha256());
  }

  @Test
  void filesAreUnmodifiableAndContainsWorks() {
    BundleFiles b = BundleFiles.fromUpload(sample(), MAX);
    assertThrows(UnsupportedOperationException.class, () -> b.files().put("x", new byte[0]));
    assertThrows(UnsupportedOperationException.class, () -> b.files().remove("index.mjs"));
    assertTrue(b.contains("index.mjs"));
    assertTrue(b.contains("lib/util.mjs"));
    assertFalse(b.contains("lib"));
    assertFalse(b.contains("missing.mjs"));
    assertEquals(4, b.files().size());
  }

  @Test
  void emptyFileIsAllowed() {
    BundleFiles b = BundleFiles.fromUpload(new JsonObject().put("empty.txt", ""), MAX);
    assertArrayEquals(new byte[0], b.files().get("empty.txt"));
    BundleFiles back = BundleFiles.fromTar(b.tar(), b.sha256());
    assertArrayEquals(new byte[0], back.files().get("empty.txt"));
  }

  // ---------------------------------------------------------------- fromTar

  @Test
  void tarRoundTrip() {
    BundleFiles original = BundleFiles.fromUpload(sample(), MAX);
    BundleFiles restored = BundleFiles.fromTar(original.tar(), original.sha256());

    assertEquals(original.sha256(), restored.sha256());
    assertArrayEquals(original.tar(), restored.tar());
    assertEquals(original.files().keySet(), restored.files().keySet());
    for (Map.Entry<String, byte[]> e : original.files().entrySet()) {
      assertArrayEquals(e.getValue(), restored.files().get(e.getKey()), e.getKey());
    }
    assertArrayEquals(utf8("héllo ✓"), restored.files().get("README.md"));
  }

  @Test
  void fromTarWithWrongHashFails() {
    BundleFiles original = BundleFiles.fromUpload(sample(), MAX);
    String wrong = BundleFiles.sha256Hex(utf8("something else"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> BundleFiles.fromTar(original.tar(), wrong));
    assertTrue(e.getMessage().contains(wrong), e.getMessage());
    assertTrue(e.getMessage().contains(original.sha256()), e.getMessage());
  }

  @Test
  void fromTarWithCorruptedBytesFailsTheHashCheck() {
    BundleFiles original = BundleFiles.fromUpload(sample(), MAX);
    byte[] tar = original.tar();
    tar[600] ^= 1; // inside the first file's content
    assertThrows(IllegalStateException.class, () -> BundleFiles.fromTar(tar, original.sha256()));
  }

  @Test
  void fromTarWithoutExpectedHashFails() {
    BundleFiles original = BundleFiles.fromUpload(sample(), MAX);
    assertThrows(IllegalStateException.class, () -> BundleFiles.fromTar(original.tar(), null));
  }

  // ---------------------------------------------------------------- paths

  static Stream<String> invalidPaths() {
    return Stream.of(
        "../x", "..", ".", "a/../b", "a/./b", "./a", "/abs", "a//b", "a/", "/", "",
        "a\\b", "sp ace", "tab\there", "a:b", "ü.mjs", "a*b", "new\nline",
        // 256 characters (over MAX_PATH_LENGTH) of otherwise valid segments
        "ab/".repeat(85) + "a",
        // 150 characters in one segment: cannot be split into ustar prefix + name
        "x".repeat(150),
        // 101 characters, one segment
        "y".repeat(101),
        // the only '/' is at index 156: the prefix would be 156 > 155 bytes
        "p".repeat(156) + "/" + "n".repeat(98),
        // '/' at 50, leaving 120 characters after it (> 100)
        "d".repeat(50) + "/" + "n".repeat(120));
  }

  @ParameterizedTest
  @MethodSource("invalidPaths")
  void invalidPathIsRejectedNamingThePath(String path) {
    JsonObject upload = new JsonObject().put("index.mjs", "ok").put(path, "content");
    CsException e = assertThrows(CsException.class, () -> BundleFiles.fromUpload(upload, MAX));
    String field = "files[\"" + path + "\"]";
    assertEquals(ErrorCode.CS_VALIDATION_FAILED, e.code());
    assertEquals(field, e.details().getString("path"));
    assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
  }

  @Test
  void invalidPathLengthsArePinned() {
    assertEquals(256, ("ab/".repeat(85) + "a").length());
    assertEquals(255, ("p".repeat(156) + "/" + "n".repeat(98)).length());
  }

  static Stream<String> validPaths() {
    return Stream.of(
        "a", "index.mjs", "-rf", "...", ".env", "a..b", "a/b/c/d.mjs", "A_b-C.d",
        "x".repeat(100),
        // 120 characters with a '/' that lets ustar split it (needs the prefix field)
        "d".repeat(59) + "/" + "f".repeat(60),
        // 255 characters: prefix exactly 154, name exactly 100
        "p".repeat(154) + "/" + "n".repeat(100),
        // 255 characters: prefix exactly 155 (the field's size), name 99
        "q".repeat(155) + "/" + "n".repeat(99),
        // several segments; only the rightmost suitable '/' is used
        "a/" + "b".repeat(60) + "/" + "c".repeat(60) + "/" + "e".repeat(90));
  }

  @ParameterizedTest
  @MethodSource("validPaths")
  void validPathIsAcceptedAndRoundTripsThroughTheTar(String path) {
    byte[] content = utf8("content of " + path.length());
    BundleFiles b = BundleFiles.fromUpload(new JsonObject().put(path, "content of " + path.length()), MAX);
    assertTrue(b.contains(path));

    Map<String, byte[]> read = CanonicalTar.read(b.tar());
    assertEquals(List.of(path), new ArrayList<>(read.keySet()));
    assertArrayEquals(content, read.get(path));

    BundleFiles back = BundleFiles.fromTar(b.tar(), b.sha256());
    assertArrayEquals(content, back.files().get(path));
  }

  @Test
  void longPathsAreNotConfusedWithEachOther() {
    String dir = "d".repeat(59);
    JsonObject upload = new JsonObject()
        .put(dir + "/" + "f".repeat(60), "1")
        .put(dir + "/" + "g".repeat(60), "2")
        .put("e".repeat(59) + "/" + "f".repeat(60), "3");
    BundleFiles b = BundleFiles.fromUpload(upload, MAX);
    BundleFiles back = BundleFiles.fromTar(b.tar(), b.sha256());
    assertEquals(b.files().keySet(), back.files().keySet());
    assertArrayEquals(utf8("2"), back.files().get(dir + "/" + "g".repeat(60)));
  }

  // ---------------------------------------------------------------- contents

  @Test
  void badBase64IsNamed() {
    JsonObject upload = new JsonObject().put("x", new JsonObject().put("base64", "not*base64!"));
    CsException e = assertThrows(CsException.class, () -> BundleFiles.fromUpload(upload, MAX));
    assertEquals(ErrorCode.CS_VALIDATION_FAILED, e.code());
    assertEquals("files[\"x\"].base64", e.details().getString("path"));
    assertTrue(e.getMessage().startsWith("files[\"x\"].base64: "), e.getMessage());
  }

  static Stream<Arguments> badContents() {
    return Stream.of(
        Arguments.of("number", 5),
        Arguments.of("boolean", true),
        Arguments.of("null", null),
        Arguments.of("array", new JsonArray().add("x")),
        Arguments.of("empty object", new JsonObject()),
        Arguments.of("unknown member", new JsonObject().put("utf8", "x")),
        Arguments.of("text not a string", new JsonObject().put("text", 5)),
        Arguments.of("base64 not a string", new JsonObject().put("base64", 5)),
        Arguments.of("both text and base64", new JsonObject().put("text", "x").put("base64", "eA==")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badContents")
  void contentOfTheWrongShapeIsNamed(String label, Object content) {
    JsonObject upload = new JsonObject().put("lib/x.mjs", content);
    CsException e = assertThrows(CsException.class, () -> BundleFiles.fromUpload(upload, MAX));
    assertEquals(ErrorCode.CS_VALIDATION_FAILED, e.code());
    assertEquals("files[\"lib/x.mjs\"]", e.details().getString("path"));
  }

  @Test
  void totalSizeLimitIsInclusive() {
    JsonObject exactly = new JsonObject().put("a", "x".repeat(60)).put("b", "y".repeat(40));
    assertEquals(2, BundleFiles.fromUpload(exactly, 100).files().size());

    JsonObject over = new JsonObject().put("a", "x".repeat(60)).put("b", "y".repeat(41));
    CsException e = assertThrows(CsException.class, () -> BundleFiles.fromUpload(over, 100));
    assertEquals(ErrorCode.CS_PAYLOAD_TOO_LARGE, e.code());
    assertEquals(413, e.code().httpStatus());
    assertEquals("files", e.details().getString("path"));
    assertTrue(e.getMessage().contains("100"), e.getMessage());
  }

  @Test
  void sizeLimitCountsDecodedBytes() {
    // 100 decoded bytes; the base64 text is 136 characters
    String b64 = Base64.getEncoder().encodeToString(new byte[100]);
    assertTrue(b64.length() > 100);
    BundleFiles.fromUpload(new JsonObject().put("a", new JsonObject().put("base64", b64)), 100);
    // "é" is 2 bytes in UTF-8: 51 characters are 102 bytes
    CsException e = assertThrows(CsException.class,
        () -> BundleFiles.fromUpload(new JsonObject().put("a", "é".repeat(51)), 100));
    assertEquals(ErrorCode.CS_PAYLOAD_TOO_LARGE, e.code());
  }

  @Test
  void singleFileOverTheLimit() {
    CsException e = assertThrows(CsException.class, () -> BundleFiles.fromUpload(
        new JsonObject().put("big.bin", "z".repeat(MAX + 1)), MAX));
    assertEquals(ErrorCode.CS_PAYLOAD_TOO_LARGE, e.code());
  }

  @Test
  void emptyOrNullUploadIsAValidationError() {
    for (JsonObject upload : new JsonObject[] {new JsonObject(), null}) {
      CsException e = assertThrows(CsException.class, () -> BundleFiles.fromUpload(upload, MAX));
      assertEquals(ErrorCode.CS_VALIDATION_FAILED, e.code());
      assertEquals("files", e.details().getString("path"));
    }
  }

  @Test
  void fileCountLimit() {
    JsonObject thousand = new JsonObject();
    for (int i = 0; i < BundleFiles.MAX_FILES; i++) {
      thousand.put("f" + i + ".txt", "");
    }
    assertEquals(1000, BundleFiles.MAX_FILES);
    BundleFiles ok = BundleFiles.fromUpload(thousand, MAX);
    assertEquals(1000, ok.files().size());
    assertEquals(1000, CanonicalTar.read(ok.tar()).size());

    thousand.put("one-more.txt", "");
    CsException e = assertThrows(CsException.class, () -> BundleFiles.fromUpload(thousand, MAX));
    assertEquals(ErrorCode.CS_VALIDATION_FAILED, e.code());
    assertEquals("files", e.details().getString("path"));
    assertTrue(e.getMessage().contains("1000"), e.getMessage());
  }

  @Test
  void aFileCannotAlsoBeAFolder() {
    CsException e = assertThrows(CsException.class,
        () -> BundleFiles.fromUpload(new JsonObject().put("a", "x").put("a/b", "y"), 1 << 20));
    assertEquals("files[\"a\"]", e.details().getString("path"));
    // a sibling whose name merely starts with the same characters is fine
    assertEquals(2, BundleFiles.fromUpload(new JsonObject().put("a", "x").put("a.b/c", "y"), 1 << 20).files().size());
  }
}
