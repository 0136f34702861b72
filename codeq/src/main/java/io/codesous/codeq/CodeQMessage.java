package io.codesous.codeq;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** One delivery of a message to one subscriber. */
public interface CodeQMessage {

  String topic();

  /** The partitioning key given at publish, or {@code null}. */
  String key();

  /** The message's bytes; for a message published as an object in this process, its encoding, made on demand. */
  Buffer payload();

  /**
   * The object the message was published as ({@link CodeQ#publish(String, String, TypedMessage)}) when it never
   * left this process, else {@code null}: the subscriber then decodes (and validates) {@link #payload()}.
   */
  default Object typed() {
    return null;
  }

  /**
   * How many times the group's handlers have been given this message, this delivery included:
   * 1 on first delivery, one more on each redelivery the backend knows of; never less than 1.
   *
   * <p>Every backend counts exactly across {@link #release()} and across a subscription closing
   * (its messages go to another member, or to a later subscription of the group, with the next
   * count). A backend that keeps the counts outside the process may lose the latest ones when a
   * consumer dies without closing: the Kafka backend stores them with its committed offsets, so
   * what a crashed member counted since its last commit is not known to the next one, and such a
   * message can come again with a lower count, even 1. So a count above 1 always means a
   * redelivery; a count of 1 does not prove a first delivery (idempotency must not rely on it).
   */
  int deliveryAttempt();

  /** Marks the message done for the group and returns its credit. Idempotent. */
  Future<Void> ack();

  /** Gives the message back to the group for redelivery and returns its credit. Idempotent. */
  void release();
}
