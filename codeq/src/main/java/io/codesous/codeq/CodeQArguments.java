package io.codesous.codeq;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

import java.util.Objects;

/**
 * The arguments every {@link CodeQ} backend requires, checked the same way by all: a missing one
 * is a programming error, thrown at once as a {@link NullPointerException} naming it, before the
 * queue's state is even looked at.
 */
public final class CodeQArguments {

  private CodeQArguments() {
  }

  public static void publish(String topic, Buffer payload) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
  }

  public static void publish(String topic, TypedMessage message) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(message, "message");
  }

  public static void subscribe(SubscribeOptions options, Handler<CodeQMessage> handler) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options.getTopic(), "options.topic");
    Objects.requireNonNull(options.getGroup(), "options.group");
  }
}
