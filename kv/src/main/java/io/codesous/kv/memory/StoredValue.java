package io.codesous.kv.memory;

import io.codesous.kv.KvCounters;

import java.time.Duration;

/** A plain key's value and the instant (clock milliseconds) from which it counts as absent. */
record StoredValue(String value, long expiresAtMs) {

  static final long NEVER = KvCounters.NEVER;

  static StoredValue permanent(String value) {
    return new StoredValue(value, NEVER);
  }

  /** Expires {@code ttl} after {@code nowMs}, as {@link KvCounters#deadline} rounds it. */
  static StoredValue expiringAfter(String value, Duration ttl, long nowMs) {
    return new StoredValue(value, KvCounters.deadline(ttl, nowMs));
  }

  boolean expires() {
    return expiresAtMs != NEVER;
  }

  boolean isExpiredAt(long nowMs) {
    return nowMs >= expiresAtMs;
  }

  /** The same expiry with another value: counters and compare-and-set keep a key's deadline. */
  StoredValue withValue(String newValue) {
    return new StoredValue(newValue, expiresAtMs);
  }
}
