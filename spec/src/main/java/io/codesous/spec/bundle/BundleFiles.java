package io.codesous.spec.bundle;

import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A function's files, validated, and their canonical archive and hash.
 *
 * <p>Upload shape: {@code {"path": "text content"}} or {@code {"path": {"base64": "..."}}} (or
 * {@code {"text": "..."}}). Paths are relative, '/'-separated, made of {@code [A-Za-z0-9._-]}
 * segments, with no empty, {@code .} or {@code ..} segment.
 */
public final class BundleFiles {

  public static final int MAX_FILES = 1000;
  public static final int MAX_PATH_LENGTH = 255;
  public static final int DEFAULT_MAX_TOTAL_BYTES = 5 * 1024 * 1024;

  private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9._-]+$");

  private final SortedMap<String, byte[]> files;
  private final byte[] tar;
  private final String sha256;

  private BundleFiles(SortedMap<String, byte[]> files) {
    this.files = Collections.unmodifiableSortedMap(files);
    this.tar = CanonicalTar.write(files);
    this.sha256 = sha256Hex(tar);
  }

  /**
   * Validates an uploaded {@code files} map.
   *
   * @throws CsException {@code CS_VALIDATION_FAILED} naming the path ({@code files["a/../b"]}),
   *                     {@code CS_PAYLOAD_TOO_LARGE} past {@code maxTotalBytes} decoded bytes
   */
  public static BundleFiles fromUpload(JsonObject json, int maxTotalBytes) {
    if (json == null || json.isEmpty()) {
      throw CsException.validation("files", "must name at least one file");
    }
    if (json.size() > MAX_FILES) {
      throw CsException.validation("files", "has " + json.size() + " entries; at most " + MAX_FILES + " are allowed");
    }
    SortedMap<String, byte[]> files = new TreeMap<>();
    long total = 0;
    for (Map.Entry<String, Object> e : json) {
      String field = "files[\"" + e.getKey() + "\"]";
      requireValidPath(field, e.getKey());
      byte[] content = decode(field, e.getValue());
      total += content.length;
      if (total > maxTotalBytes) {
        throw new CsException(ErrorCode.CS_PAYLOAD_TOO_LARGE,
            "files: bundle exceeds " + maxTotalBytes + " bytes", new JsonObject().put("path", "files"));
      }
      files.put(e.getKey(), content);
    }
    requireNoFileIsAFolder(files);
    return new BundleFiles(files);
  }

  /** Rebuilds from a stored archive; {@code expectedSha256} guards against corruption. */
  public static BundleFiles fromTar(byte[] tar, String expectedSha256) {
    String actual = sha256Hex(tar);
    if (!actual.equals(expectedSha256)) {
      throw new IllegalStateException("bundle hash mismatch: expected " + expectedSha256 + ", got " + actual);
    }
    return new BundleFiles(new TreeMap<>(CanonicalTar.read(tar)));
  }

  /** {@code a} and {@code a/b} cannot both be files: the archive could not be unpacked. */
  private static void requireNoFileIsAFolder(SortedMap<String, byte[]> files) {
    for (String path : files.keySet()) {
      String asFolder = path + "/";
      String next = files.tailMap(asFolder).isEmpty() ? null : files.tailMap(asFolder).firstKey();
      if (next != null && next.startsWith(asFolder)) {
        throw CsException.validation("files[\"" + path + "\"]", "is a file, but " + next + " uses it as a folder");
      }
    }
  }

  static void requireValidPath(String field, String path) {
    if (path.isEmpty() || path.length() > MAX_PATH_LENGTH) {
      throw CsException.validation(field, "path must be 1.." + MAX_PATH_LENGTH + " characters");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..") || !SEGMENT.matcher(segment).matches()) {
        throw CsException.validation(field,
            "path must be relative, '/'-separated, of [A-Za-z0-9._-] segments, without '.' or '..'");
      }
    }
    if (!CanonicalTar.fits(path)) {
      throw CsException.validation(field, "path must have a '/' leaving at most 100 characters after it");
    }
  }

  private static byte[] decode(String field, Object value) {
    if (value instanceof String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    if (value instanceof JsonObject obj && obj.size() == 1) {
      if (obj.getValue("text") instanceof String text) {
        return text.getBytes(StandardCharsets.UTF_8);
      }
      if (obj.getValue("base64") instanceof String b64) {
        try {
          return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException bad) {
          throw CsException.validation(field + ".base64", "is not valid base64");
        }
      }
    }
    throw CsException.validation(field, "must be a string or {\"base64\": string} or {\"text\": string}");
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  public SortedMap<String, byte[]> files() {
    return files;
  }

  /** The canonical archive (a copy). */
  public byte[] tar() {
    return tar.clone();
  }

  public String sha256() {
    return sha256;
  }

  public boolean contains(String path) {
    return files.containsKey(path);
  }
}
