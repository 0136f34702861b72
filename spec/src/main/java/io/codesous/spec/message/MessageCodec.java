package io.codesous.spec.message;

import io.codesous.spec.error.CsException;
import io.codesous.spec.validation.JsonSchemas;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/**
 * Versioned envelopes on the queue. Every message is a JSON object whose {@code schema} member
 * names its version; a decoder accepts only versions it knows and validates them against their
 * schema, so a consumer never acts on a half-understood message.
 */
public final class MessageCodec {

  private MessageCodec() {
  }

  public static Buffer encode(InvocationRequest request) {
    return request.toJson().toBuffer();
  }

  public static Buffer encode(InvocationResult result) {
    return result.toJson().toBuffer();
  }

  /** @throws MalformedMessageException with the reason (for the dead-letter record) */
  public static InvocationRequest decodeRequest(Buffer payload) {
    JsonObject json = parse(payload, InvocationRequest.SCHEMA, JsonSchemas.INVOKE_V1);
    return InvocationRequest.fromJson(json);
  }

  /**
   * The request a queue delivered: the object itself when it was published as one in this process (built from
   * checked input a moment before, so parsing and validating its JSON again would check nothing its type does not
   * hold), else its bytes decoded and validated, as any message from outside.
   *
   * @param typed   what the queue's message holds as an object ({@code CodeQMessage.typed()}), or {@code null}
   * @param payload its bytes, asked for only when {@code typed} is not a request
   * @throws MalformedMessageException with the reason (for the dead-letter record)
   */
  public static InvocationRequest receivedRequest(Object typed, Supplier<Buffer> payload) {
    return typed instanceof InvocationRequest request ? request : decodeRequest(payload.get());
  }

  /** As {@link #receivedRequest}, for a result. */
  public static InvocationResult receivedResult(Object typed, Supplier<Buffer> payload) {
    return typed instanceof InvocationResult result ? result : decodeResult(payload.get());
  }

  /** @throws MalformedMessageException with the reason (for the dead-letter record) */
  public static InvocationResult decodeResult(Buffer payload) {
    JsonObject json = parse(payload, InvocationResult.SCHEMA, JsonSchemas.RESULTS_V1);
    return InvocationResult.fromJson(json);
  }

  private static JsonObject parse(Buffer payload, String expectedSchema, JsonSchemas schema) {
    JsonObject json = envelope(payload, expectedSchema);
    try {
      schema.validate("message", json);
    } catch (CsException invalid) {
      throw new MalformedMessageException(invalid.getMessage());
    }
    return json;
  }

  /**
   * The payload as a JSON object whose {@code schema} is the one expected: the first check of every message's decoder.
   *
   * @throws MalformedMessageException if the payload is not a JSON object or names another schema
   */
  static JsonObject envelope(Buffer payload, String expectedSchema) {
    JsonObject json;
    try {
      json = new JsonObject(payload);
    } catch (DecodeException | ClassCastException e) {
      throw new MalformedMessageException("not a JSON object");
    }
    Object version = json.getValue("schema");
    if (!expectedSchema.equals(version)) {
      throw new MalformedMessageException("unknown schema " + version + ", expected " + expectedSchema);
    }
    return json;
  }
}
