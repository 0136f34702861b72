package io.codesous.kv.memory;

import java.time.Duration;

/** A plain key's value and the instant (clock milliseconds) from which it counts as absent. */
record StoredValue(String value, long expiresAtMs) {

  static final long NEVER = Long.MAX_VALUE;

  static StoredValue permanent(String value) {
    return new StoredValue(value, NEVER);
  }

  /**
   * Expires {@code ttl} after {@code nowMs}. A ttl below one millisecond still gets one, so a
   * positive ttl never yields a value that is expired the moment it is written; absurdly long
   * ttls saturate to never.
   */
  static StoredValue expiringAfter(String value, Duration ttl, long nowMs) {
    long ttlMs;
    try {
      ttlMs = Math.max(1, ttl.toMillis());
    } catch (ArithmeticException tooLong) {
      return permanent(value);
    }
    long expiresAt = nowMs + ttlMs;
    return new StoredValue(value, expiresAt < nowMs ? NEVER : expiresAt);
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
