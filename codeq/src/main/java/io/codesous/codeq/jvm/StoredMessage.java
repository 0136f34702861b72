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
  /** What it counts against its topic's bound in bytes. */
  private final long heapBytes;
  /** Groups that still have to acknowledge this message; guarded by the topic's monitor. */
  private int groupsYetToAck;

  /** @param heapBytes what it counts against its topic's bound ({@link #weigh}) */
  StoredMessage(String topic, long sequence, String key, Buffer payload, TypedMessage typed, long heapBytes) {
    this.topic = topic;
    this.sequence = sequence;
    this.key = key;
    this.payload = payload;
    this.typed = typed;
    this.heapBytes = heapBytes;
  }

  /** The bytes published or the object's estimate, and the message's own objects (itself, its key, its entry). */
  static long weigh(String key, Buffer payload, TypedMessage typed) {
    return OVERHEAD + (key == null ? 0 : key.length()) + (payload != null ? payload.length() : typed.heapBytes());
  }

  /** This object, the topic's entry for it, a group's queue entry and a key's string header. */
  private static final int OVERHEAD = 160;

  long heapBytes() {
    return heapBytes;
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
