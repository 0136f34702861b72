package io.codesous.spec.bundle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * A deterministic POSIX ustar archive: entries in sorted path order, mode 0644, uid/gid 0, empty
 * owner names, mtime 0. The same files therefore always give the same bytes, and so the same
 * sha256 — the bundle's identity.
 */
public final class CanonicalTar {

  private static final int BLOCK = 512;
  private static final int NAME_LEN = 100;
  private static final int PREFIX_LEN = 155;

  private CanonicalTar() {
  }

  /** Writes the archive. Paths must already be valid bundle paths (see {@link BundleFiles}). */
  public static byte[] write(SortedMap<String, byte[]> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      out.writeBytes(header(e.getKey(), e.getValue().length));
      out.writeBytes(e.getValue());
      int pad = (BLOCK - e.getValue().length % BLOCK) % BLOCK;
      out.writeBytes(new byte[pad]);
    }
    out.writeBytes(new byte[2 * BLOCK]);
    return out.toByteArray();
  }

  /**
   * Reads an archive written by {@link #write}: regular files only, in archive order.
   *
   * @throws IllegalArgumentException when the bytes are not such an archive
   */
  public static Map<String, byte[]> read(byte[] tar) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    int pos = 0;
    while (pos + BLOCK <= tar.length) {
      byte[] header = Arrays.copyOfRange(tar, pos, pos + BLOCK);
      if (isZero(header)) {
        return files;
      }
      verifyChecksum(header);
      String name = field(header, 0, NAME_LEN);
      String prefix = field(header, 345, PREFIX_LEN);
      String path = prefix.isEmpty() ? name : prefix + "/" + name;
      int size = (int) Long.parseLong(field(header, 124, 12).trim(), 8);
      pos += BLOCK;
      if (size < 0 || pos + size > tar.length) {
        throw new IllegalArgumentException("truncated tar entry: " + path);
      }
      files.put(path, Arrays.copyOfRange(tar, pos, pos + size));
      pos += size + (BLOCK - size % BLOCK) % BLOCK;
    }
    throw new IllegalArgumentException("tar has no end-of-archive marker");
  }

  private static byte[] header(String path, int size) {
    byte[] h = new byte[BLOCK];
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    if (p.length <= NAME_LEN) {
      System.arraycopy(p, 0, h, 0, p.length);
    } else {
      int split = splitPoint(path);
      if (split < 0) {
        throw new IllegalArgumentException("path too long for ustar: " + path);
      }
      byte[] prefix = path.substring(0, split).getBytes(StandardCharsets.UTF_8);
      byte[] name = path.substring(split + 1).getBytes(StandardCharsets.UTF_8);
      System.arraycopy(name, 0, h, 0, name.length);
      System.arraycopy(prefix, 0, h, 345, prefix.length);
    }
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 0);
    Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = '0';
    put(h, 257, "ustar\0");
    put(h, 263, "00");
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    h[155] = ' ';
    return h;
  }

  /** Whether a path fits the ustar name (+ prefix) fields. */
  static boolean fits(String path) {
    return path.getBytes(StandardCharsets.UTF_8).length <= NAME_LEN || splitPoint(path) >= 0;
  }

  /**
   * ustar keeps long paths as prefix (at most 155 bytes) + '/' + name (at most 100 bytes); the
   * rightmost possible '/' leaves the shortest name. Paths are ASCII here (see BundleFiles).
   */
  private static int splitPoint(String path) {
    int split = path.lastIndexOf('/', PREFIX_LEN);
    return split > 0 && path.length() - split - 1 <= NAME_LEN ? split : -1;
  }

  private static void verifyChecksum(byte[] header) {
    long stored = Long.parseLong(field(header, 148, 8).trim(), 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xff;
    }
    if (sum != stored) {
      throw new IllegalArgumentException("tar header checksum mismatch");
    }
  }

  /** Zero-padded octal digits followed by a NUL, filling {@code len} bytes. */
  private static void octal(byte[] h, int off, int len, long value) {
    String digits = Long.toOctalString(value);
    String padded = "0".repeat(len - 1 - digits.length()) + digits;
    put(h, off, padded);
    h[off + len - 1] = 0;
  }

  private static void put(byte[] h, int off, String ascii) {
    byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }

  private static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
