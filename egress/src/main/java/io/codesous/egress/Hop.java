package io.codesous.egress;

import java.util.List;
import java.util.Map;

/**
 * One request of a fetch: the first, or one made to follow a redirect. Headers are already
 * sanitized; the body is shared, never modified.
 */
final class Hop {

  private final EgressUrl url;
  private final String method;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;

  Hop(EgressUrl url, String method, List<Map.Entry<String, String>> headers, byte[] body) {
    this.url = url;
    this.method = method;
    this.headers = headers;
    this.body = body;
  }

  EgressUrl url() {
    return url;
  }

  String method() {
    return method;
  }

  List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** The body, or {@code null} for none. */
  byte[] body() {
    return body;
  }
}
