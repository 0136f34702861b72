package io.codesous.kv;

import java.time.Duration;

/**
 * The arithmetic every embedded backend does alike for counters and expiries, so that the
 * in-memory and the on-disk store count and expire exactly the same way.
 */
public final class KvCounters {

  /** The deadline of a key that never expires. */
  public static final long NEVER = Long.MAX_VALUE;

  private KvCounters() {
  }

  /**
   * The number that follows a counter's stored value ({@code null}: absent, so 1).
   *
   * @throws KvException naming the key when the value is not an integer or would overflow
   */
  public static long next(String key, String current) {
    if (current == null) {
      return 1;
    }
    long count;
    try {
      count = Long.parseLong(current);
    } catch (NumberFormatException notANumber) {
      throw new KvException("value is not an integer: " + key);
    }
    if (count == Long.MAX_VALUE) {
      throw new KvException("counter would overflow: " + key);
    }
    return count + 1;
  }

  /**
   * The instant (clock milliseconds) from which a value written at {@code nowMs} with {@code ttl}
   * counts as absent. A ttl below one millisecond still gets one, so a positive ttl never yields a
   * value that is expired the moment it is written; absurdly long ttls saturate to {@link #NEVER}.
   */
  public static long deadline(Duration ttl, long nowMs) {
    long ttlMs;
    try {
      ttlMs = Math.max(1, ttl.toMillis());
    } catch (ArithmeticException tooLong) {
      return NEVER;
    }
    long expiresAt = nowMs + ttlMs;
    return expiresAt < nowMs ? NEVER : expiresAt;
  }
}
