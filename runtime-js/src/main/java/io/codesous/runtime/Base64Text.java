package io.codesous.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * {@code btoa} and {@code atob} of the HTML standard for cs-web.js, on strings of one char per byte as every byte
 * crosses to the host: the JDK's loop instead of the guest's. Written in JavaScript, the two loops ran interpreted on
 * JDK 17 once per JWT a function decodes, and on the JIT launcher each took the Graal compiler 0.8–1.5 s per tier
 * to compile (a compilation trace of {@code cs server} serving {@code bundles/dist/popular.mjs}).
 */
final class Base64Text {

  private static final int[] VALUES = new int[128];

  static {
    Arrays.fill(VALUES, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = i;
    }
  }

  private Base64Text() {
  }

  /** The base64 of {@code latin1}, or null when a char of it is above U+00FF (btoa's InvalidCharacterError). */
  static String encode(String latin1) {
    for (int i = 0; i < latin1.length(); i++) {
      if (latin1.charAt(i) > 0xff) {
        return null;
      }
    }
    return Base64.getEncoder().encodeToString(latin1.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * The forgiving-base64 decode of the HTML standard: ASCII whitespace is skipped, one or two {@code =} may end a
   * length that divides by 4, a final group of 2 or 3 characters stands for 1 or 2 bytes (its spare bits are
   * dropped, whatever they are). Null where the standard says failure (atob's InvalidCharacterError).
   */
  static String forgivingDecode(String data) {
    StringBuilder text = new StringBuilder(data.length());
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      if (c != '\t' && c != '\n' && c != '\f' && c != '\r' && c != ' ') {
        text.append(c);
      }
    }
    int length = text.length();
    if (length % 4 == 0 && length > 0 && text.charAt(length - 1) == '=') {
      length -= length > 1 && text.charAt(length - 2) == '=' ? 2 : 1;
    }
    if (length % 4 == 1) {
      return null;
    }
    byte[] out = new byte[length / 4 * 3 + Math.max(0, length % 4 - 1)];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      int value = c < 128 ? VALUES[c] : -1;
      if (value < 0) {
        return null;
      }
      buffer = (buffer << 6) | value;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[n++] = (byte) (buffer >> bits);
      }
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }
}
