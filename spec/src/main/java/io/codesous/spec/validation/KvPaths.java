package io.codesous.spec.validation;

import io.codesous.spec.error.CsException;

import java.nio.charset.StandardCharsets;

/**
 * Keys of a function's data ({@code cs.kv}) and the prefixes a manifest grants over them.
 *
 * <p>A key is a '/'-separated path of non-empty segments, none of them {@code .} or {@code ..},
 * without control characters, at most {@link #MAX_KEY_BYTES} UTF-8 bytes. A grant names a path
 * and covers that path and everything below it, by whole segment: {@code orders/} (or
 * {@code orders}) covers {@code orders/1} but not {@code orders-archive}, {@code ordersX} or a
 * look-alike spelled with other code points. Comparison is exact, code point for code point; no
 * normalization, no patterns ({@code *} and {@code ?} are ordinary characters).
 */
public final class KvPaths {

  public static final int MAX_KEY_BYTES = 512;

  private KvPaths() {
  }

  /** @throws CsException {@code CS_VALIDATION_FAILED} naming {@code field} */
  public static String requireKey(String field, String key) {
    String problem = problem(key);
    if (problem != null) {
      throw CsException.validation(field, problem);
    }
    return key;
  }

  /** A grant as written ({@code orders/} or {@code orders}); validated like a key. */
  public static String requireGrant(String field, String grant) {
    return requireKey(field, trimSlash(grant));
  }

  /** Why {@code key} is not a valid key, or {@code null} when it is. */
  public static String problem(String key) {
    if (key == null || key.isEmpty()) {
      return "must not be empty";
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      return "must be at most " + MAX_KEY_BYTES + " bytes";
    }
    for (int i = 0; i < key.length(); i++) {
      if (Character.isISOControl(key.charAt(i))) {
        return "must not contain control characters";
      }
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return "must be '/'-separated non-empty segments, none of them '.' or '..'";
      }
    }
    return null;
  }

  /**
   * Whether {@code key} has a {@code .} or {@code ..} segment: a key spelled as a path that steps elsewhere
   * ({@code orders/../billing}), which names no key of its own and which no grant covers.
   */
  public static boolean hasDotSegment(String key) {
    for (String segment : key.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code grant} covers {@code key}: the same path, or a path below it. */
  public static boolean covers(String grant, String key) {
    String base = trimSlash(grant);
    return key.equals(base) || key.startsWith(base + "/");
  }

  /**
   * Whether listing {@code prefix} stays inside {@code grant}: the prefix must name the grant's
   * path or lie below it (listing {@code ord} under a grant of {@code orders/} is refused).
   */
  public static boolean coversListing(String grant, String prefix) {
    String base = trimSlash(grant);
    return prefix.equals(base) || prefix.startsWith(base + "/");
  }

  private static String trimSlash(String grant) {
    return grant != null && grant.endsWith("/") ? grant.substring(0, grant.length() - 1) : grant;
  }
}
