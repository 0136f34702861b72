package io.codesous.codeq;

import io.vertx.core.buffer.Buffer;

import java.util.Objects;
import java.util.function.Function;

/**
 * A message published as the object it stands for, with the way to encode it when it has to become bytes.
 *
 * <p>Why: in an embedded server the invocation request is built by the gateway (or the scheduler, or the Cadence
 * poller) and taken by an invoker of the same JVM a moment later. Encoding it to JSON, then parsing and
 * schema-validating that JSON on the other side, checked nothing its type does not already hold; a JFR profile of
 * the embedded server under load put the decoding alone at about a tenth of its CPU. So a queue that keeps
 * messages in memory ({@link io.codesous.codeq.jvm.InJvmCodeQ}) hands the object itself to the subscriber
 * ({@link CodeQMessage#typed()}) and encodes only if someone asks for the bytes; a queue whose messages leave
 * the process (Kafka) encodes at publish, and its subscribers decode and validate as any message from outside.
 *
 * <p>The object is shared, not copied: neither the publisher nor a subscriber may change it once published.
 */
public final class TypedMessage {

  private final Object value;
  private final Function<Object, Buffer> encoder;
  private final long heapBytes;
  private volatile Buffer encoded;

  private TypedMessage(Object value, Function<Object, Buffer> encoder, long heapBytes) {
    this.value = value;
    this.encoder = encoder;
    this.heapBytes = heapBytes;
  }

  /**
   * @param encoder   its envelope's bytes, the same as a publisher of bytes would publish
   * @param heapBytes about how much heap {@code value} takes, which a queue holding it in memory counts against its
   *                  bound (see {@link io.codesous.codeq.jvm.InJvmCodeQOptions#getMaxRetainedBytesPerTopic()})
   */
  @SuppressWarnings("unchecked")
  public static <T> TypedMessage of(T value, Function<? super T, Buffer> encoder, long heapBytes) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(encoder, "encoder");
    if (heapBytes < 0) {
      throw new IllegalArgumentException("heapBytes must not be negative");
    }
    return new TypedMessage(value, (Function<Object, Buffer>) encoder, heapBytes);
  }

  public Object value() {
    return value;
  }

  /** About how much heap the object takes, as its publisher estimated it. */
  public long heapBytes() {
    return heapBytes;
  }

  /** The encoded message, made on the first call; callers must not change it (copy it to hand it on). */
  public Buffer encoded() {
    Buffer bytes = encoded;
    if (bytes == null) {
      // two threads may both encode: the outcome is the same bytes, so no lock is needed
      bytes = Objects.requireNonNull(encoder.apply(value), "the encoder returned null");
      encoded = bytes;
    }
    return bytes;
  }
}
