package io.codesous.kv.rocksdb;

import io.codesous.kv.KvCounters;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a name holds: a plain value with its deadline, or a sorted index with its member count (an
 * index's members live in entries of their own; the count tells when the last one goes, which
 * frees the name, as in Redis).
 *
 * <p>On disk: one kind byte, the deadline (8 bytes), then the UTF-8 value or the count.
 */
record Entry(boolean index, long deadlineMs, String value, long members) {

  private static final byte VALUE_KIND = 'V';
  private static final byte INDEX_KIND = 'I';

  static Entry value(String value, long deadlineMs) {
    return new Entry(false, deadlineMs, value, 0);
  }

  static Entry permanent(String value) {
    return value(value, KvCounters.NEVER);
  }

  static Entry indexOf(long members) {
    return new Entry(true, KvCounters.NEVER, null, members);
  }

  boolean expires() {
    return deadlineMs != KvCounters.NEVER;
  }

  boolean isExpiredAt(long nowMs) {
    return nowMs >= deadlineMs;
  }

  /** Counters and compare-and-set keep a key's deadline. */
  Entry withValue(String newValue) {
    return value(newValue, deadlineMs);
  }

  byte[] encode() {
    if (index) {
      return ByteBuffer.allocate(17).put(INDEX_KIND).putLong(deadlineMs).putLong(members).array();
    }
    byte[] text = value.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(9 + text.length).put(VALUE_KIND).putLong(deadlineMs).put(text).array();
  }

  static Entry decode(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    byte kind = buffer.get();
    long deadline = buffer.getLong();
    if (kind == INDEX_KIND) {
      return indexOf(buffer.getLong());
    }
    return value(new String(bytes, 9, bytes.length - 9, StandardCharsets.UTF_8), deadline);
  }
}
