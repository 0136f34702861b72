package io.codesous.spec.message;

import io.codesous.spec.error.CsException;
import io.codesous.spec.validation.JsonSchemas;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

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
