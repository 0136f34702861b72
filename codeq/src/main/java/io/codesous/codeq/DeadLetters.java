package io.codesous.codeq;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.Base64;

/** The record a consumer publishes for a message it cannot understand: where it came from, why, and the bytes. */
public final class DeadLetters {

  private DeadLetters() {
  }

  public static Buffer of(CodeQMessage message, String reason, long nowMs) {
    return new JsonObject()
        .put("topic", message.topic())
        .put("key", message.key())
        .put("reason", reason)
        .put("at_ms", nowMs)
        .put("payload_base64", Base64.getEncoder().encodeToString(message.payload().getBytes()))
        .toBuffer();
  }
}
