package io.codesous.codeq.jvm;

import io.vertx.core.buffer.Buffer;

/** A published message as the topic retains it until every group has acknowledged it. */
final class StoredMessage {

  private final String topic;
  private final long sequence;
  private final String key;
  private final Buffer payload;
  /** Groups that still have to acknowledge this message; guarded by the topic's monitor. */
  private int groupsYetToAck;

  StoredMessage(String topic, long sequence, String key, Buffer payload) {
    this.topic = topic;
    this.sequence = sequence;
    this.key = key;
    this.payload = payload;
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

  /** Never handed out as is: each delivery gets its own copy, so no handler can alter it. */
  Buffer payload() {
    return payload;
  }

  void expectAckFromOneMoreGroup() {
    groupsYetToAck++;
  }

  /** @return whether every group has now acknowledged the message */
  boolean ackedByOneGroup() {
    return --groupsYetToAck == 0;
  }
}
