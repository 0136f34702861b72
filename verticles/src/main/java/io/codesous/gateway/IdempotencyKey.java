package io.codesous.gateway;

import io.codesous.spec.error.CsException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A web call's {@code Idempotency-Key} and the fingerprint of the request it was sent with. Within {@link #TTL} the
 * same key on the same function names one activation; the fingerprint (method, path with query, content type and
 * body) tells a retry from a different request reusing the key.
 */
record IdempotencyKey(String keySha256, String requestSha256) {

  static final String HEADER = "idempotency-key";
  static final Duration TTL = Duration.ofHours(24);
  /** Printable ASCII without spaces at the ends, as the IETF idempotency-key draft's examples; 255 bounds the key. */
  private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]([\\x20-\\x7e]{0,253}[\\x21-\\x7e])?");

  /** The header's value, validated; null when the call has none. Throws {@code CS_VALIDATION_FAILED} when malformed. */
  static String header(HttpServerRequest request) {
    String key = request.getHeader(HEADER);
    if (key != null && !VALID.matcher(key).matches()) {
      throw CsException.validation(HEADER, "must be 1..255 printable ASCII characters");
    }
    return key;
  }

  /** Hashes the key and the request; costs one pass over the body, so callers run it off the event loop. */
  static IdempotencyKey of(String key, String method, String uri, String contentType, Buffer body) {
    MessageDigest request = sha256();
    for (String part : new String[] {method, uri, contentType == null ? "" : contentType}) {
      request.update(part.getBytes(StandardCharsets.UTF_8));
      request.update((byte) 0);
    }
    if (body != null) {
      request.update(body.getBytes());
    }
    return new IdempotencyKey(HexFormat.of().formatHex(sha256().digest(key.getBytes(StandardCharsets.US_ASCII))),
        HexFormat.of().formatHex(request.digest()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every JDK has SHA-256", impossible);
    }
  }
}
