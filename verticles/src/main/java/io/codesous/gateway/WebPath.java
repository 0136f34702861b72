package io.codesous.gateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The parts of a web path, {@code /v1/web/{tenant}/{namespace}/{function}/{ref}[/{proxyPath*}]}, read by splitting
 * at '/' once per request. The gateway is mounted as one prefix route ({@code /v1/web/*}, a {@code startsWith}
 * for the router) instead of two routes with path parameters, which the router matches with a regular expression
 * each, on every request; a JFR profile of the embedded server under load had that matching at 3.4% of its CPU.
 *
 * <p>Segments are percent-decoded as the router decodes path parameters; checking them is the caller's part.
 */
record WebPath(String tenant, String namespace, String function, String ref) {

  static final String PREFIX = "/v1/web/";
  /** The route the gateway is mounted on. */
  static final String ROUTE = PREFIX + "*";

  /**
   * @param normalizedPath the router's normalized path (no empty or dot segments)
   * @return {@code null} when the path does not name a function and a ref (fewer than four non-empty segments)
   */
  static WebPath parse(String normalizedPath) {
    if (!normalizedPath.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = new String[4];
    int from = PREFIX.length();
    for (int i = 0; i < parts.length; i++) {
      if (from >= normalizedPath.length()) {
        return null;
      }
      int end = normalizedPath.indexOf('/', from);
      if (end < 0) {
        end = normalizedPath.length();
      }
      if (end == from) {
        return null;
      }
      parts[i] = decode(normalizedPath.substring(from, end));
      if (parts[i] == null) {
        return null;
      }
      from = end + 1;
    }
    return new WebPath(parts[0], parts[1], parts[2], parts[3]);
  }

  /** The path after the ref, always starting with '/'. Names and refs are plain ASCII, so no decoding differs. */
  String proxyPath(String path) {
    String prefix = PREFIX + tenant + "/" + namespace + "/" + function + "/" + ref;
    String rest = path.startsWith(prefix) ? path.substring(prefix.length()) : "";
    return rest.isEmpty() ? "/" : rest;
  }

  /** As a path parameter is decoded ('+' stays '+'); {@code null} for a malformed escape. */
  private static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return null;
    }
  }
}
