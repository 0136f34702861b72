package io.codesous.kv.memory;

import io.codesous.kv.KvConflictException;
import io.codesous.kv.KvCounters;
import io.codesous.kv.KvException;
import io.codesous.kv.KvSwap;
import io.codesous.kv.KvWrite;
import io.codesous.kv.Utf8Order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/**
 * The data of an {@link InMemoryKvStore}: plain keys and sorted indexes sharing one name space.
 *
 * <p>Every method holds the instance lock for its whole run, which is what makes the multi-key
 * operations atomic with respect to each other. Nothing here waits on anything else, so the lock
 * is only ever held briefly.
 *
 * <p>Expired keys are dropped whenever an operation touches them and by {@link #removeExpired}.
 */
final class Keyspace {

  private final LongSupplier clockMs;
  private final Map<String, StoredValue> values = new HashMap<>();
  /**
   * The deadlines of the keys that carry an expiry, earliest first, so a sweep looks at the keys that are due and at
   * nothing else: a walk over every expiring key (activation records kept for days are most of them) held the lock
   * for a time that grew with the records kept, and showed in profiles of the embedded server under load. An entry
   * may be stale (the key was removed, rewritten without expiry or with another one); the sweep skips those.
   */
  private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();

  private record Deadline(long atMs, String key) implements Comparable<Deadline> {
    @Override
    public int compareTo(Deadline other) {
      return Long.compare(atMs, other.atMs);
    }
  }
  private final Map<String, SortedIndex> indexes = new HashMap<>();

  Keyspace(LongSupplier clockMs) {
    this.clockMs = clockMs;
  }

  synchronized String get(String key) {
    StoredValue current = live(key);
    return current == null ? null : current.value();
  }

  synchronized Map<String, String> getAll(Collection<String> keys) {
    Map<String, String> found = new LinkedHashMap<>();
    for (String key : keys) {
      StoredValue current = live(key);
      if (current != null) {
        found.put(key, current.value());
      }
    }
    return found;
  }

  synchronized void put(String key, String value, Duration ttlOrNull) {
    requireNotIndex(key);
    store(key, newValue(value, ttlOrNull));
  }

  synchronized boolean putIfAbsent(String key, String value, Duration ttlOrNull) {
    if (live(key) != null) {
      return false;
    }
    store(key, newValue(value, ttlOrNull));
    return true;
  }

  synchronized boolean compareAndSet(String key, String expected, String update) {
    StoredValue current = live(key);
    if (current == null) {
      if (expected != null) {
        return false;
      }
      store(key, StoredValue.permanent(update));
      return true;
    }
    if (!current.value().equals(expected)) {
      return false;
    }
    store(key, current.withValue(update));
    return true;
  }

  /** Every key is checked before anything is written, so a refused batch writes nothing. */
  synchronized List<Boolean> compareAndSetEach(List<KvSwap> swaps) {
    swaps.forEach(swap -> requireNotIndex(swap.key()));
    List<Boolean> written = new ArrayList<>(swaps.size());
    for (KvSwap swap : swaps) {
      written.add(compareAndSet(swap.key(), swap.expected(), swap.update()));
    }
    return written;
  }

  /** Removes a plain key or a whole sorted index, whichever holds the name. */
  synchronized boolean delete(String key) {
    if (indexes.remove(key) != null) {
      return true;
    }
    boolean present = live(key) != null;
    remove(key);
    return present;
  }

  synchronized long increment(String key) {
    StoredValue current = live(key);
    long next = nextCount(key, current);
    store(key, counterValue(current, next));
    return next;
  }

  synchronized void indexAdd(String index, String member, long score) {
    requireNotValue(index);
    indexes.computeIfAbsent(index, name -> new SortedIndex()).add(member, score);
  }

  synchronized int indexTrimBelow(String index, long belowScore, int limit) {
    requireNotValue(index);
    SortedIndex members = indexes.get(index);
    if (members == null) {
      return 0;
    }
    int removed = members.trimBelow(belowScore, limit);
    if (members.isEmpty()) {
      indexes.remove(index);
    }
    return removed;
  }

  synchronized boolean indexRemove(String index, String member) {
    requireNotValue(index);
    SortedIndex members = indexes.get(index);
    if (members == null || !members.remove(member)) {
      return false;
    }
    // An emptied index stops existing, so its name is free again (as in Redis).
    if (members.isEmpty()) {
      indexes.remove(index);
    }
    return true;
  }

  /** Live values' and indexes' names that start with {@code prefix}, in UTF-8 byte order. */
  synchronized List<String> keysWithPrefix(String prefix, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    long now = clockMs.getAsLong();
    values.forEach((key, value) -> {
      if (key.startsWith(prefix) && !value.isExpiredAt(now)) {
        names.add(key);
      }
    });
    for (String index : indexes.keySet()) {
      if (index.startsWith(prefix)) {
        names.add(index);
      }
    }
    names.sort(Utf8Order.NAMES);
    return List.copyOf(names.subList(0, Math.min(limit, names.size())));
  }

  synchronized List<String> indexMembersWithPrefix(String index, String prefix, int limit) {
    requireNotValue(index);
    SortedIndex members = indexes.get(index);
    if (members == null || limit <= 0) {
      return List.of();
    }
    return members.withPrefix(prefix, limit);
  }

  synchronized List<String> indexRange(String index, int limit, boolean descending) {
    requireNotValue(index);
    SortedIndex members = indexes.get(index);
    if (members == null || limit <= 0) {
      return List.of();
    }
    return List.copyOf(members.range(limit, descending));
  }

  /**
   * Create-only writes are checked against the state before the call, then the counter and all
   * writes are applied in list order (a later write to the same key wins). Writes carry no expiry.
   */
  synchronized long allocateAndWrite(String counterKey, List<KvWrite> writes) {
    StoredValue counter = live(counterKey);
    long seq = nextCount(counterKey, counter);
    List<KvWrite> resolved = substitute(writes, seq);
    // Every check runs before the first change, so a failure leaves everything as it was.
    for (KvWrite write : resolved) {
      if (live(write.key()) != null && !write.overwrite()) {
        throw new KvConflictException(write.key());
      }
    }
    store(counterKey, counterValue(counter, seq));
    for (KvWrite write : resolved) {
      store(write.key(), StoredValue.permanent(write.value()));
    }
    return seq;
  }

  /** @return how many expired keys were removed */
  synchronized int removeExpired() {
    long now = clockMs.getAsLong();
    int removed = 0;
    while (!deadlines.isEmpty() && deadlines.peek().atMs() <= now) {
      Deadline due = deadlines.poll();
      StoredValue current = values.get(due.key());
      if (current != null && current.expiresAtMs() == due.atMs()) {
        values.remove(due.key());
        removed++;
      }
    }
    return removed;
  }

  /** Plain keys (expired ones not yet removed included) plus sorted indexes held in memory. */
  synchronized int size() {
    return values.size() + indexes.size();
  }

  synchronized void clear() {
    values.clear();
    deadlines.clear();
    indexes.clear();
  }

  /** The key's value unless absent or expired; an expired one is dropped on the way. */
  private StoredValue live(String key) {
    requireNotIndex(key);
    StoredValue current = values.get(key);
    if (current != null && current.isExpiredAt(clockMs.getAsLong())) {
      remove(key);
      return null;
    }
    return current;
  }

  private StoredValue newValue(String value, Duration ttlOrNull) {
    return ttlOrNull == null
        ? StoredValue.permanent(value)
        : StoredValue.expiringAfter(value, ttlOrNull, clockMs.getAsLong());
  }

  private void store(String key, StoredValue value) {
    StoredValue previous = values.put(key, value);
    if (value.expires() && (previous == null || previous.expiresAtMs() != value.expiresAtMs())) {
      deadlines.add(new Deadline(value.expiresAtMs(), key));
    }
  }

  private void remove(String key) {
    values.remove(key);
  }

  private void requireNotIndex(String key) {
    if (indexes.containsKey(key)) {
      throw new KvException("key holds a sorted index, not a value: " + key);
    }
  }

  private void requireNotValue(String index) {
    StoredValue current = values.get(index);
    if (current == null) {
      return;
    }
    if (current.isExpiredAt(clockMs.getAsLong())) {
      remove(index);
      return;
    }
    throw new KvException("key holds a value, not a sorted index: " + index);
  }

  private static long nextCount(String key, StoredValue current) {
    return KvCounters.next(key, current == null ? null : current.value());
  }

  private static StoredValue counterValue(StoredValue current, long count) {
    String text = Long.toString(count);
    return current == null ? StoredValue.permanent(text) : current.withValue(text);
  }

  private static List<KvWrite> substitute(List<KvWrite> writes, long seqNumber) {
    List<KvWrite> resolved = new ArrayList<>(writes.size());
    for (KvWrite write : writes) {
      resolved.add(
          new KvWrite(write.keyFor(seqNumber), write.valueFor(seqNumber), write.overwrite()));
    }
    return resolved;
  }
}
