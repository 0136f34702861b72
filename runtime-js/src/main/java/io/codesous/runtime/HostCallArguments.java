package io.codesous.runtime;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * Reads the arguments of a {@code cs.*} call as the guest passed them to {@code hostCall} (types already checked by
 * {@code cs-runtime.js}) and checks their sizes against {@link HostCallLimits}; a call past one is refused with a
 * {@link Refusal} whose message the guest rejects with, as a {@code RangeError}.
 */
final class HostCallArguments {

  private HostCallArguments() {
  }

  /** A size check failed: the guest rejects with a {@code RangeError} carrying this message. */
  static final class Refusal extends Exception {
    Refusal(String message) {
      super(message, null, false, false);
    }
  }

  static String key(String op, Value value) throws Refusal {
    return text(op, "key", value, HostCallLimits.MAX_KV_KEY_BYTES, false);
  }

  static String text(String op, String what, Value value, int maxBytes, boolean mayBeEmpty) throws Refusal {
    String s = value.asString();
    if (!mayBeEmpty && s.isEmpty()) {
      throw new Refusal("cs." + op + ": " + what + " must not be empty");
    }
    checkSize(op, what, s, maxBytes);
    return s;
  }

  private static void checkSize(String op, String what, String s, long maxBytes) throws Refusal {
    // A string has at least one UTF-8 byte per char: very long ones are refused without counting.
    long bytes = s.length() > maxBytes ? s.length() : Utf8.length(s);
    if (bytes > maxBytes) {
      throw new Refusal("cs." + op + ": " + what + " is larger than " + maxBytes + " bytes");
    }
  }

  static HostFetchRequest fetchRequest(Value[] arguments, long remainingMs) throws Refusal {
    String op = "http.fetch";
    String url = arguments[1].asString();
    if (url.isEmpty() || url.length() > HostCallLimits.MAX_FETCH_URL_CHARS) {
      throw new Refusal("cs.http.fetch: url must have 1.." + HostCallLimits.MAX_FETCH_URL_CHARS + " characters");
    }
    String method = arguments[2].asString();
    String encodedHeaders = arguments[3].asString();
    Map<String, String> headers = new LinkedHashMap<>();
    if (!encodedHeaders.isEmpty()) {
      String[] parts = encodedHeaders.split("\0", -1);
      if (parts.length / 2 > HostCallLimits.MAX_FETCH_HEADERS) {
        throw new Refusal("cs.http.fetch: more than " + HostCallLimits.MAX_FETCH_HEADERS + " headers");
      }
      for (int i = 0; i + 1 < parts.length; i += 2) {
        checkSize(op, "header " + parts[i], parts[i] + parts[i + 1], HostCallLimits.MAX_FETCH_HEADER_BYTES);
        headers.merge(parts[i], parts[i + 1], (first, second) -> first + ", " + second);
      }
    }
    byte[] body = switch (arguments[4].asString()) {
      case "text" -> {
        String text = arguments[5].asString();
        checkSize(op, "body", text, HostCallLimits.MAX_FETCH_BODY_BYTES);
        yield text.getBytes(StandardCharsets.UTF_8);
      }
      case "bytes" -> {
        Value buffer = arguments[5];
        long size = buffer.getBufferSize();
        if (size > HostCallLimits.MAX_FETCH_BODY_BYTES) {
          throw new Refusal("cs.http.fetch: body is larger than " + HostCallLimits.MAX_FETCH_BODY_BYTES + " bytes");
        }
        byte[] bytes = new byte[(int) size];
        buffer.readBuffer(0, bytes, 0, bytes.length);
        yield bytes;
      }
      default -> new byte[0];
    };
    return new HostFetchRequest(url, method, headers, body, remainingMs);
  }
}
