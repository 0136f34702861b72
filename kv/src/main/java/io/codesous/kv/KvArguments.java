package io.codesous.kv;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The arguments each {@link KvStore} operation requires, checked the same way by every backend
 * before it looks at its own state: a missing key, index, value or member is a
 * {@link NullPointerException} naming it, a non-positive ttl an {@link IllegalArgumentException};
 * both are thrown at once, and nothing is written.
 */
public final class KvArguments {

  private KvArguments() {
  }

  public static void get(String key) {
    key(key);
  }

  public static void getAll(Collection<String> keys) {
    Objects.requireNonNull(keys, "keys");
    keys.forEach(KvArguments::key);
  }

  public static void put(String key, String value) {
    key(key);
    Objects.requireNonNull(value, "value");
  }

  public static void put(String key, String value, Duration ttl) {
    put(key, value);
    positive(Objects.requireNonNull(ttl, "ttl"));
  }

  /** @param ttl may be {@code null}, for none */
  public static void putIfAbsent(String key, String value, Duration ttl) {
    put(key, value);
    if (ttl != null) {
      positive(ttl);
    }
  }

  /** {@code expected} may be {@code null}: it then requires the key to be absent. */
  public static void compareAndSet(String key, String update) {
    key(key);
    Objects.requireNonNull(update, "update");
  }

  public static void compareAndSetEach(List<KvSwap> swaps) {
    Objects.requireNonNull(swaps, "swaps");
    swaps.forEach(swap -> Objects.requireNonNull(swap, "swap"));
  }

  /** For {@code delete} and {@code increment}, which need only the key. */
  public static void key(String key) {
    Objects.requireNonNull(key, "key");
  }

  /** For {@code indexAdd} and {@code indexRemove}. */
  public static void indexMember(String index, String member) {
    index(index);
    Objects.requireNonNull(member, "member");
  }

  public static void indexTrimBelow(String index, int limit) {
    index(index);
    if (limit < 1 || limit > KvStore.MAX_TRIM) {
      throw new IllegalArgumentException("limit must be 1 to " + KvStore.MAX_TRIM + ", not " + limit);
    }
  }

  public static void keysWithPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
  }

  public static void indexMembersWithPrefix(String index, String prefix) {
    index(index);
    Objects.requireNonNull(prefix, "prefix");
  }

  /** For {@code indexRange}, which needs only the index. */
  public static void index(String index) {
    Objects.requireNonNull(index, "index");
  }

  public static void allocateAndWrite(String counterKey, List<KvWrite> writes) {
    key(counterKey);
    Objects.requireNonNull(writes, "writes");
    writes.forEach(write -> Objects.requireNonNull(write, "write"));
  }

  private static void positive(Duration ttl) {
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
  }
}
