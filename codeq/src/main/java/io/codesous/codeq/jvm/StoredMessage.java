package io.codesous.codeq.jvm;

import io.codesous.codeq.TypedMessage;

import io.vertx.core.buffer.Buffer;

/** A published message as the topic retains it until every group has acknowledged it. */
final class StoredMessage {

  private final String topic;
  private final long sequence;
  private final String key;
  /** Exactly one of the two: the bytes published, or the object published (shared, never changed). */
  private final Buffer payload;
  private final TypedMessage typed;
  /** Groups that still have to acknowledge this message; guarded by the topic's monitor. */
  private int groupsYetToAck;

  StoredMessage(String topic, long sequence, String key, Buffer payload, TypedMessage typed) {
    this.topic = topic;
    this.sequence = sequence;
    this.key = key;
    this.payload = payload;
    this.typed = typed;
  }

  String topic() {
    return topic;
  }

  /** Position in the topic; also the order a group's queue keeps. */
  long sequence() {
    return sequence;
  }

  String key() {
    return key;
  }

  /** Never handed out as is: each delivery gets its own copy, so no handler can alter it; {@code null} when typed. */
  Buffer payload() {
    return payload;
  }

  /** The object published, or {@code null} when bytes were. */
  TypedMessage typed() {
    return typed;
  }

  void expectAckFromOneMoreGroup() {
    groupsYetToAck++;
  }

  /** @return whether every group has now acknowledged the message */
  boolean ackedByOneGroup() {
    return --groupsYetToAck == 0;
  }
}
