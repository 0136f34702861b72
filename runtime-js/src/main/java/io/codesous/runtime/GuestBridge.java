package io.codesous.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
