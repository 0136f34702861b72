package io.codesous.spec.bundle;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CanonicalTarTest {

  private static final int BLOCK = 512;
  private static final Path TAR = Path.of("/usr/bin/tar");

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String ascii(byte[] b, int off, int len) {
    return new String(b, off, len, StandardCharsets.US_ASCII);
  }

  private static SortedMap<String, byte[]> one(String path, String content) {
    SortedMap<String, byte[]> files = new TreeMap<>();
    files.put(path, utf8(content));
    return files;
  }

  // ---------------------------------------------------------------- layout

  @Test
  void emptyArchiveIsTwoZeroBlocks() {
    byte[] tar = CanonicalTar.write(new TreeMap<>());
    assertArrayEquals(new byte[2 * BLOCK], tar);
    assertTrue(CanonicalTar.read(tar).isEmpty());
  }

  @Test
  void headerFieldsAreCanonical() {
    byte[] tar = CanonicalTar.write(one("a.txt", "hello"));
    assertEquals(BLOCK + BLOCK + 2 * BLOCK, tar.length);

    assertEquals("a.txt", ascii(tar, 0, 5));
    assertEquals(0, tar[5]);
    assertEquals("0000644\0", ascii(tar, 100, 8), "mode");
    assertEquals("0000000\0", ascii(tar, 108, 8), "uid");
    assertEquals("0000000\0", ascii(tar, 116, 8), "gid");
    assertEquals("00000000005\0", ascii(tar, 124, 12), "size");
    assertEquals("00000000000\0", ascii(tar, 136, 12), "mtime");
    assertEquals('0', tar[156], "typeflag: regular file");
    assertEquals("ustar\0", ascii(tar, 257, 6), "magic");
    assertEquals("00", ascii(tar, 263, 2), "version");
    for (int i = 157; i < 257; i++) {
      assertEquals(0, tar[i], "linkname byte " + i);
    }
    for (int i = 265; i < 329; i++) {
      assertEquals(0, tar[i], "uname/gname byte " + i);
    }
    for (int i = 345; i < BLOCK; i++) {
      assertEquals(0, tar[i], "prefix/pad byte " + i);
    }

    // checksum: six octal digits, NUL, space; the sum of the header with the field as spaces
    assertEquals(0, tar[154]);
    assertEquals(' ', tar[155]);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : tar[i] & 0xff;
    }
    assertEquals(sum, Long.parseLong(ascii(tar, 148, 6), 8));

    // content, then zero padding to the block, then two zero blocks
    assertEquals("hello", ascii(tar, BLOCK, 5));
    for (int i = BLOCK + 5; i < tar.length; i++) {
      assertEquals(0, tar[i], "padding byte " + i);
    }
  }

  @Test
  void contentOfExactlyOneBlockIsNotPadded() {
    SortedMap<String, byte[]> files = new TreeMap<>();
    files.put("a", new byte[BLOCK]);
    files.put("b", new byte[BLOCK + 1]);
    byte[] tar = CanonicalTar.write(files);
    assertEquals(BLOCK + BLOCK + BLOCK + 2 * BLOCK + 2 * BLOCK, tar.length);
    assertEquals('b', tar[2 * BLOCK], "second header starts right after the first file's single block");
  }

  @Test
  void entriesAreInSortedOrder() {
    SortedMap<String, byte[]> files = new TreeMap<>();
    files.put("b", utf8("2"));
    files.put("a/z", utf8("1"));
    files.put("A", utf8("0"));
    byte[] tar = CanonicalTar.write(files);
    assertEquals(List.of("A", "a/z", "b"), new ArrayList<>(CanonicalTar.read(tar).keySet()));
  }

  @Test
  void longPathUsesThePrefixField() {
    String dir = "d".repeat(59);
    String name = "f".repeat(60);
    byte[] tar = CanonicalTar.write(one(dir + "/" + name, "x"));
    assertEquals(name, ascii(tar, 0, 60));
    assertEquals(0, tar[60]);
    assertEquals(dir, ascii(tar, 345, 59));
    assertEquals(0, tar[345 + 59]);
    assertEquals(List.of(dir + "/" + name), new ArrayList<>(CanonicalTar.read(tar).keySet()));
  }

  @Test
  void fullWidthNameAndPrefixFieldsRoundTrip() {
    // name exactly 100 bytes and prefix exactly 155 bytes: neither has a NUL terminator
    String path = "q".repeat(155) + "/" + "n".repeat(100);
    byte[] tar = CanonicalTar.write(one(path, "x"));
    assertEquals(List.of(path), new ArrayList<>(CanonicalTar.read(tar).keySet()));
    String shortName = "m".repeat(100);
    assertEquals(List.of(shortName), new ArrayList<>(CanonicalTar.read(CanonicalTar.write(one(shortName, "y")))
        .keySet()));
  }

  @Test
  void writeRefusesAPathThatCannotBeSplit() {
    assertThrows(IllegalArgumentException.class, () -> CanonicalTar.write(one("x".repeat(150), "x")));
  }

  @Test
  void fitsMatchesUstarLimits() {
    assertTrue(CanonicalTar.fits("x".repeat(100)));
    assertTrue(!CanonicalTar.fits("x".repeat(101)));
    assertTrue(CanonicalTar.fits("p".repeat(155) + "/" + "n".repeat(100)));
    assertTrue(!CanonicalTar.fits("p".repeat(156) + "/" + "n".repeat(99)));
    assertTrue(!CanonicalTar.fits("p".repeat(10) + "/" + "n".repeat(101)));
    assertTrue(!CanonicalTar.fits("/" + "n".repeat(100)));
  }

  @Test
  void readRoundTripsContent() {
    SortedMap<String, byte[]> files = new TreeMap<>();
    byte[] random = new byte[3000];
    new Random(42).nextBytes(random);
    files.put("bin/random.bin", random);
    files.put("empty", new byte[0]);
    files.put("index.mjs", utf8("export default () => 1;"));
    Map<String, byte[]> read = CanonicalTar.read(CanonicalTar.write(files));
    assertEquals(new ArrayList<>(files.keySet()), new ArrayList<>(read.keySet()));
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      assertArrayEquals(e.getValue(), read.get(e.getKey()), e.getKey());
    }
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void readOfEmptyBytesFails() {
    assertThrows(IllegalArgumentException.class, () -> CanonicalTar.read(new byte[0]));
  }

  @Test
  void readOfShortGarbageFails() {
    assertThrows(IllegalArgumentException.class, () -> CanonicalTar.read(utf8("this is not a tar archive")));
  }

  @Test
  void readOfRandomBlocksFails() {
    byte[] garbage = new byte[4 * BLOCK];
    new Random(7).nextBytes(garbage);
    assertThrows(IllegalArgumentException.class, () -> CanonicalTar.read(garbage));
  }

  @Test
  void readOfPrintableGarbageFails() {
    byte[] garbage = new byte[4 * BLOCK];
    Arrays.fill(garbage, (byte) 'A');
    assertThrows(IllegalArgumentException.class, () -> CanonicalTar.read(garbage));
  }

  @Test
  void readOfHeaderWithBadChecksumFails() {
    byte[] tar = CanonicalTar.write(one("a.txt", "hello"));
    tar[0] = 'b';
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CanonicalTar.read(tar));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void readOfTruncatedContentFails() {
    byte[] tar = CanonicalTar.write(one("a.txt", "x".repeat(1000)));
    byte[] cut = Arrays.copyOf(tar, BLOCK + 500);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CanonicalTar.read(cut));
    assertTrue(e.getMessage().contains("a.txt"), e.getMessage());
  }

  @Test
  void readWithoutEndMarkerFails() {
    byte[] tar = CanonicalTar.write(one("a.txt", "hello"));
    byte[] noEnd = Arrays.copyOf(tar, tar.length - 2 * BLOCK);
    assertThrows(IllegalArgumentException.class, () -> CanonicalTar.read(noEnd));
  }

  @Test
  void readOfHeaderOnlyFails() {
    byte[] tar = CanonicalTar.write(one("a.txt", "hello"));
    assertThrows(IllegalArgumentException.class, () -> CanonicalTar.read(Arrays.copyOf(tar, BLOCK)));
    assertThrows(IllegalArgumentException.class, () -> CanonicalTar.read(Arrays.copyOf(tar, 100)));
  }

  // ---------------------------------------------------------------- a real tar reads it

  private static final String LONG = "d".repeat(59) + "/" + "f".repeat(60);
  private static final String LONGEST = "p".repeat(154) + "/" + "n".repeat(100);

  private static BundleFiles realTarSample() {
    return BundleFiles.fromUpload(new JsonObject()
        .put("lib/util.mjs", "export const x = 1;\n")
        .put("index.mjs", "export const handler = () => 'ok';\n")
        .put("a.txt", "A")
        .put("Z.txt", "Zz")
        .put("a-b/c.txt", "")
        .put(LONG, "long")
        .put(LONGEST, "longest"), BundleFiles.DEFAULT_MAX_TOTAL_BYTES);
  }

  private record Run(int exit, String out, String err) {
  }

  private static Run run(Path workDir, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "out", ".txt");
    Path err = Files.createTempFile(workDir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("TZ", "UTC");
    pb.environment().put("LC_ALL", "C");
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("tar did not finish");
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void realTarListsSortedRegularFilesOwnedByRoot(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(TAR), "/usr/bin/tar not available");
    BundleFiles bundle = realTarSample();
    Path archive = dir.resolve("bundle.tar");
    Files.write(archive, bundle.tar());

    Run r = run(dir, TAR.toString(), "-tvf", archive.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals("", r.err());

    List<String> lines = r.out().lines().toList();
    List<String> names = new ArrayList<>();
    for (String line : lines) {
      String[] cols = line.trim().split("\\s+", 6);
      assertEquals(6, cols.length, line);
      assertEquals("-rw-r--r--", cols[0], line);
      assertEquals("0/0", cols[1], line);
      String name = cols[5];
      assertEquals(bundle.files().get(name).length, Integer.parseInt(cols[2]), line);
      assertEquals("1970-01-01", cols[3], line);
      assertEquals("00:00", cols[4], line);
      names.add(name);
    }
    assertEquals(new ArrayList<>(bundle.files().keySet()), names);
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(null);
    assertEquals(sorted, names);
    assertTrue(names.contains(LONG));
    assertTrue(names.contains(LONGEST));
  }

  @Test
  void realTarExtractsTheSameBytes(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(TAR), "/usr/bin/tar not available");
    BundleFiles bundle = realTarSample();
    Path archive = dir.resolve("bundle.tar");
    Files.write(archive, bundle.tar());
    Path out = Files.createDirectory(dir.resolve("x"));

    Run r = run(dir, TAR.toString(), "-xf", archive.toString(), "-C", out.toString());
    assertEquals(0, r.exit(), r.err());

    for (Map.Entry<String, byte[]> e : bundle.files().entrySet()) {
      Path file = out.resolve(e.getKey());
      assertTrue(Files.isRegularFile(file), e.getKey());
      assertArrayEquals(e.getValue(), Files.readAllBytes(file), e.getKey());
    }
  }
}
