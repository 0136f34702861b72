package io.codesous.codeq;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.Optional;

/**
 * What every backend's delivery holds: the message as one subscriber received it, and where that
 * hand-out stands. Shared by the backends so that the states a delivery goes through, and what
 * {@link #ack()} answers in each, are written once.
 *
 * <p>The state and the seen-by-handler mark are guarded by the monitor of the backend object that
 * owns the delivery (a topic, a subscription's ledger); every method that reads or changes them
 * must be called under that monitor. Handlers see only the {@link CodeQMessage} methods.
 */
public abstract class Delivery implements CodeQMessage {

  /** Where one hand-out of a message stands. */
  public enum State {
    /** Holds one of the subscription's credits. */
    IN_FLIGHT,
    ACKED,
    /** Given back by {@link CodeQMessage#release()}; the group delivers it again. */
    RELEASED,
    /** Its subscription closed or gave up its share of the topic; the group delivers it again. */
    WITHDRAWN
  }

  private final String topic;
  private final String key;
  /** Made from {@code typed} on the first call to {@link #payload()} when the message was published as an object. */
  private Buffer payload;
  private final TypedMessage typed;
  private final int attempt;
  private State state = State.IN_FLIGHT;
  /**
   * Whether the handler was called with this delivery. A delivery taken back before that does
   * not count as an attempt.
   */
  private boolean seenByHandler;

  /** @param payload this delivery's own bytes: no other delivery or publisher may share them */
  protected Delivery(String topic, String key, Buffer payload, int attempt) {
    this(topic, key, payload, null, attempt);
  }

  /**
   * A message published as an object when {@code typed} is not {@code null} (its bytes are encoded, and copied,
   * only if the handler asks for them), else one published as bytes: this delivery gets a copy of {@code payload}.
   */
  protected Delivery(String topic, String key, TypedMessage typed, Buffer payload, int attempt) {
    this(topic, key, typed == null ? payload.copy() : null, typed, attempt);
  }

  private Delivery(String topic, String key, Buffer payload, TypedMessage typed, int attempt) {
    this.topic = topic;
    this.key = key;
    this.payload = payload;
    this.typed = typed;
    this.attempt = attempt;
  }

  @Override
  public final String topic() {
    return topic;
  }

  @Override
  public final String key() {
    return key;
  }

  @Override
  public final Buffer payload() {
    Buffer bytes = payload;
    if (bytes == null) {
      // this delivery's own copy, as for a message published as bytes
      bytes = typed.encoded().copy();
      payload = bytes;
    }
    return bytes;
  }

  @Override
  public final Object typed() {
    return typed == null ? null : typed.value();
  }

  @Override
  public final int deliveryAttempt() {
    return attempt;
  }

  /** Names the message for a failure, e.g. its position in the topic. */
  protected abstract String describe();

  public final State state() {
    return state;
  }

  public final boolean isInFlight() {
    return state == State.IN_FLIGHT;
  }

  /**
   * First step of {@link #ack()}: moves an in-flight delivery to {@link State#ACKED}.
   *
   * @return empty when this call acknowledged it, and the owner must now record that; otherwise
   *     what {@code ack()} answers without recording anything: success when it was already
   *     acknowledged (ack is idempotent), a {@link CodeQException} when the message was given back
   *     (it will be delivered again, so this stale copy must not complete it)
   */
  public final Optional<Future<Void>> markAcked() {
    switch (state) {
      case IN_FLIGHT:
        state = State.ACKED;
        return Optional.empty();
      case ACKED:
        return Optional.of(Future.succeededFuture());
      default:
        return Optional.of(Future.failedFuture(new CodeQException(describe()
            + " was released, or its subscription closed or gave up its share of the topic;"
            + " it will be delivered again")));
    }
  }

  /** @return whether this call released it; a delivery no longer in flight stays as it is */
  public final boolean markReleased() {
    return moveFromInFlight(State.RELEASED);
  }

  /** @return whether this call withdrew it; a delivery no longer in flight stays as it is */
  public final boolean withdraw() {
    return moveFromInFlight(State.WITHDRAWN);
  }

  public final boolean seenByHandler() {
    return seenByHandler;
  }

  final void markSeenByHandler() {
    seenByHandler = true;
  }

  /** The attempts the message carries back to its group: this one counts only if a handler saw it. */
  public final int attemptsSoFar() {
    return seenByHandler ? attempt : attempt - 1;
  }

  private boolean moveFromInFlight(State next) {
    if (state != State.IN_FLIGHT) {
      return false;
    }
    state = next;
    return true;
  }
}
