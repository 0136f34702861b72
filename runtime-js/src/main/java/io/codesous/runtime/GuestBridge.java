package io.codesous.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The host functions of one context. They are installed once, when the context is prepared (possibly ahead of
 * demand, on another thread), and forward to whichever activation the context currently serves; between
 * activations they do nothing.
 */
final class GuestBridge {

  /** What the guest side of one activation calls. Invoked on the activation's thread. */
  interface Host {
    /** @return whether later entries are still kept */
    boolean emit(String level, String message);

    long remainingMs();

    /** Starts a {@code cs.*} capability call; returns why it is refused, or {@code null}. */
    String hostCall(Value[] arguments);

    void unhandledRejection(String message, String stack);

    /** The earliest timer of the activation is due at {@code dueMs} of {@link #MONOTONIC_MS}; negative: none. */
    void armTimer(double dueMs);
  }

  private volatile Host host;

  void bind(Host activation) {
    this.host = activation;
  }

  void unbind() {
    this.host = null;
  }

  final ProxyExecutable emit = arguments -> {
    Host current = host;
    return current != null
        && current.emit(arguments[0].asString(), arguments[1].isNull() ? null : arguments[1].asString());
  };

  final ProxyExecutable remainingMs = arguments -> {
    Host current = host;
    return current == null ? 0L : current.remainingMs();
  };

  final ProxyExecutable hostCall = arguments -> {
    Host current = host;
    return current == null ? "no activation is running" : current.hostCall(arguments);
  };

  final ProxyExecutable reportUnhandled = arguments -> {
    Host current = host;
    if (current != null) {
      current.unhandledRejection(arguments[0].asString(), arguments[1].isNull() ? null : arguments[1].asString());
    }
    return null;
  };

  final ProxyExecutable armTimer = arguments -> {
    Host current = host;
    if (current != null) {
      current.armTimer(arguments[0].asDouble());
    }
    return null;
  };

  /** Where the guest's monotonic clock starts, so that its readings are never negative. */
  private static final long CLOCK_ORIGIN_NANOS = System.nanoTime();

  /** Milliseconds of a monotonic clock, the one timers are armed on. */
  static final ProxyExecutable MONOTONIC_MS = arguments -> (System.nanoTime() - CLOCK_ORIGIN_NANOS) / 1_000_000.0;

  /** The {@link System#nanoTime()} of a reading of {@link #MONOTONIC_MS}. */
  static long nanoTimeOf(double monotonicMs) {
    return CLOCK_ORIGIN_NANOS + (long) (monotonicMs * 1_000_000.0);
  }

  /** The most random bytes one call hands out: crypto.getRandomValues' own limit. */
  private static final int MAX_RANDOM_BYTES = 65_536;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** {@code n} bytes from SecureRandom, carried one per char. */
  static final ProxyExecutable RANDOM_LATIN1 = arguments -> {
    int n = arguments[0].asInt();
    if (n < 0 || n > MAX_RANDOM_BYTES) {
      return "";
    }
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  };

  /** Bytes carried one per char decoded as UTF-8, or {@code null} when they are not well-formed UTF-8. */
  static final ProxyExecutable DECODE_UTF8_FATAL = arguments -> {
    byte[] bytes = arguments[0].asString().getBytes(StandardCharsets.ISO_8859_1);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  };

  /** btoa: the base64 of bytes carried one per char, or null when a char is above U+00FF. */
  static final ProxyExecutable BASE64_ENCODE = arguments -> Base64Text.encode(arguments[0].asString());

  /** atob: the forgiving-base64 decode, bytes carried one per char, or null when the text is not base64. */
  static final ProxyExecutable BASE64_DECODE = arguments -> Base64Text.forgivingDecode(arguments[0].asString());

  /** Bytes carried one per char (ISO-8859-1), decoded as UTF-8; malformed input becomes U+FFFD. */
  static final ProxyExecutable DECODE_UTF8 = arguments ->
      new String(arguments[0].asString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);

  /** Copies bytes carried one per char into an ArrayBuffer of the same length, eight at a time. */
  static final ProxyExecutable COPY_LATIN1 = arguments -> {
    byte[] bytes = arguments[0].asString().getBytes(StandardCharsets.ISO_8859_1);
    Value buffer = arguments[1];
    ByteBuffer words = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int i = 0;
    for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
      buffer.writeBufferLong(ByteOrder.LITTLE_ENDIAN, i, words.getLong(i));
    }
    for (; i < bytes.length; i++) {
      buffer.writeBufferByte(i, bytes[i]);
    }
    return null;
  };
}
