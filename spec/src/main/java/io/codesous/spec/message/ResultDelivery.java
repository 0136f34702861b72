package io.codesous.spec.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;

/**
 * How a result travels point to point on the event bus, to the reply route of the component waiting for it.
 *
 * <p>Within one process the {@link InvocationResult} itself is handed over: it was built from the sandbox's
 * outcome a moment before, in this JVM, so encoding it to JSON and parsing and validating that JSON again on the
 * receiving loop (about a tenth of an embedded activation's CPU, measured with JFR under load) checked nothing a
 * type does not already hold. Between processes (a clustered event bus) it crosses as its {@code cs.results.v1}
 * envelope and the receiver decodes it with {@link MessageCodec#decodeResult}, schema check included, as any
 * message from outside.
 *
 * <p>The result is shared, not copied, on local delivery: neither side changes a result (or its response and error
 * objects) once it is built.
 */
public final class ResultDelivery implements io.vertx.core.eventbus.MessageCodec<InvocationResult, InvocationResult> {

  /** The codec's name on the wire: part of the protocol between processes of one deployment. */
  public static final String NAME = "cs.results.v1";

  private static final ResultDelivery INSTANCE = new ResultDelivery();

  private ResultDelivery() {
  }

  /**
   * Makes results sendable on {@code eventBus}; every sender and every receiver calls it before its first use. Safe
   * to call again, from any thread.
   */
  public static void register(EventBus eventBus) {
    try {
      eventBus.registerDefaultCodec(InvocationResult.class, INSTANCE);
    } catch (IllegalStateException alreadyRegistered) {
      // Vert.x offers no lookup; a second registration is refused, and the first one is this same codec.
    }
  }

  static ResultDelivery instance() {
    return INSTANCE;
  }

  /**
   * The result a reply route received: the object itself from this process, else (a {@link Buffer} from a process
   * of an earlier release, or a test) its envelope, decoded and validated.
   *
   * @throws MalformedMessageException when the body is neither
   */
  public static InvocationResult received(Object body) {
    if (body instanceof InvocationResult result) {
      return result;
    }
    if (body instanceof Buffer envelope) {
      return MessageCodec.decodeResult(envelope);
    }
    throw new MalformedMessageException("not a result: " + (body == null ? "null" : body.getClass().getSimpleName()));
  }

  @Override
  public void encodeToWire(Buffer buffer, InvocationResult result) {
    Buffer envelope = MessageCodec.encode(result);
    buffer.appendInt(envelope.length()).appendBuffer(envelope);
  }

  @Override
  public InvocationResult decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return MessageCodec.decodeResult(buffer.getBuffer(pos + 4, pos + 4 + length));
  }

  @Override
  public InvocationResult transform(InvocationResult result) {
    return result;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
