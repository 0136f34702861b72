package io.codesous.bench;

import io.vertx.core.http.HttpHeaders;

/**
 * The {@code Authorization} header value that admits the benchmark to a platform's {@code /v1} routes,
 * built and encoded once per shape: every request of a run shares it, so sending it allocates no
 * string per request.
 */
final class BearerToken {

  private BearerToken() {
  }

  /** {@code Bearer <token>} as an ASCII-encoded header value. */
  static CharSequence headerValue(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalStateException("the platform gave no admin token (is auth.localKey off?)");
    }
    return HttpHeaders.createOptimized("Bearer " + token.trim());
  }
}
