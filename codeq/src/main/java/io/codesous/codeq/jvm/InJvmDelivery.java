package io.codesous.codeq.jvm;

import io.codesous.codeq.Delivery;
import io.vertx.core.Future;

/** One hand-out of a stored message to one subscription. */
final class InJvmDelivery extends Delivery {

  private final Topic owner;
  private final InJvmSubscription subscription;
  private final StoredMessage message;

  InJvmDelivery(Topic owner, InJvmSubscription subscription, StoredMessage message, int attempt) {
    // each delivery gets its own copy of bytes, so no handler can change what another one receives; an object
    // published as such is shared (TypedMessage: nobody changes it) and encoded only if a handler asks for bytes
    super(message.topic(), message.key(), message.typed(), message.payload(), attempt);
    this.owner = owner;
    this.subscription = subscription;
    this.message = message;
  }

  /**
   * Fails with {@link io.codesous.codeq.CodeQException} once the delivery was released or its
   * subscription closed: the message is then back in the group's queue and will be delivered
   * again, so acknowledging this stale copy must not remove it.
   */
  @Override
  public Future<Void> ack() {
    return owner.ack(this);
  }

  /** Does nothing once the delivery was acknowledged, released or its subscription closed. */
  @Override
  public void release() {
    owner.release(this);
  }

  @Override
  protected String describe() {
    return "message " + message.sequence() + " of topic " + message.topic();
  }

  InJvmSubscription subscription() {
    return subscription;
  }

  StoredMessage message() {
    return message;
  }
}
