package io.codesous.egress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request headers a function may set, cleaned: names validated and lower-cased, values
 * trimmed and free of line breaks, connection-level headers dropped, totals capped.
 */
final class OutboundHeaders {

  /**
   * Headers that describe the connection or the message framing, not the request. The client
   * owns them: a function choosing {@code Host} could address another virtual host on the checked
   * address, and {@code Transfer-Encoding} or {@code Content-Length} could desynchronize the
   * message boundaries. Dropped silently, as browsers drop forbidden request headers.
   */
  static final Set<String> DROPPED = Set.of(
      "host", "connection", "keep-alive", "proxy-connection", "proxy-authorization",
      "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade", "content-length",
      "expect", "http2-settings");

  /** Sent only to the origin they were meant for; dropped when a redirect changes origin. */
  static final Set<String> CREDENTIALS = Set.of("authorization", "cookie");

  /** Describe a body; dropped when a redirect turns the request into a body-less GET. */
  static final Set<String> BODY_HEADERS = Set.of(
      "content-type", "content-encoding", "content-language", "content-location");

  private OutboundHeaders() {
  }

  /**
   * Validates and cleans the function's headers.
   *
   * @throws EgressException {@link EgressFailure#INVALID_HEADER} for an illegal name or value,
   *     {@link EgressFailure#REQUEST_TOO_LARGE} past the count or size cap
   */
  static List<Map.Entry<String, String>> sanitize(List<Map.Entry<String, String>> headers,
      EgressOptions options) {
    List<Map.Entry<String, String>> clean = new ArrayList<>();
    long bytes = 0;
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey();
      if (!isToken(name)) {
        throw new EgressException(EgressFailure.INVALID_HEADER, "invalid header name");
      }
      String value = trimHttpWhitespace(header.getValue());
      if (!isFieldValue(value)) {
        throw new EgressException(EgressFailure.INVALID_HEADER,
            "invalid value for header " + name);
      }
      String lowerName = name.toLowerCase(Locale.ROOT);
      if (DROPPED.contains(lowerName)) {
        continue;
      }
      clean.add(Map.entry(lowerName, value));
      bytes += lowerName.length() + value.length();
    }
    if (clean.size() > options.getMaxRequestHeaders()) {
      throw new EgressException(EgressFailure.REQUEST_TOO_LARGE,
          "more than " + options.getMaxRequestHeaders() + " request headers");
    }
    if (bytes > options.getMaxRequestHeaderBytes()) {
      throw new EgressException(EgressFailure.REQUEST_TOO_LARGE,
          "request headers exceed " + options.getMaxRequestHeaderBytes() + " bytes");
    }
    return List.copyOf(clean);
  }

  /** The headers without those named, for redirects. */
  static List<Map.Entry<String, String>> without(List<Map.Entry<String, String>> headers,
      Set<String> names) {
    List<Map.Entry<String, String>> kept = new ArrayList<>();
    for (Map.Entry<String, String> header : headers) {
      if (!names.contains(header.getKey())) {
        kept.add(header);
      }
    }
    return List.copyOf(kept);
  }

  /** RFC 9110 token: the characters a header name may have. */
  static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!tchar) {
        return false;
      }
    }
    return true;
  }

  /** RFC 9110 field-value: visible ASCII, space, tab and obs-text; never CR, LF or NUL. */
  static boolean isFieldValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed = c == '\t' || (c >= 0x20 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  private static String trimHttpWhitespace(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && isHttpWhitespace(value.charAt(start))) {
      start++;
    }
    while (end > start && isHttpWhitespace(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(start, end);
  }

  private static boolean isHttpWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
