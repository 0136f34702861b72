package io.codesous.codeq.jvm;

import io.codesous.codeq.CodeQMessage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** One hand-out of a stored message to one subscription. */
final class InJvmDelivery implements CodeQMessage {

  enum State {
    /** Holds one of the subscription's credits. */
    IN_FLIGHT,
    ACKED,
    /** Back in the group's queue, by release or because the subscription closed. */
    RETURNED
  }

  private final Topic owner;
  private final InJvmSubscription subscription;
  private final StoredMessage message;
  private final int attempt;
  private final Buffer payload;
  // guarded by the topic's monitor
  private State state = State.IN_FLIGHT;
  /**
   * Whether the handler was called with this delivery. A delivery returned before that (its
   * subscription closed first) does not count as an attempt.
   */
  private boolean seenByHandler;

  InJvmDelivery(Topic owner, InJvmSubscription subscription, StoredMessage message, int attempt) {
    this.owner = owner;
    this.subscription = subscription;
    this.message = message;
    this.attempt = attempt;
    this.payload = message.payload().copy();
  }

  @Override
  public String topic() {
    return message.topic();
  }

  @Override
  public String key() {
    return message.key();
  }

  @Override
  public Buffer payload() {
    return payload;
  }

  @Override
  public int deliveryAttempt() {
    return attempt;
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

  InJvmSubscription subscription() {
    return subscription;
  }

  StoredMessage message() {
    return message;
  }

  State state() {
    return state;
  }

  void state(State state) {
    this.state = state;
  }

  void markSeenByHandler() {
    seenByHandler = true;
  }

  /** The attempt count the message carries back into the queue. */
  int attemptsSoFar() {
    return seenByHandler ? attempt : attempt - 1;
  }
}
