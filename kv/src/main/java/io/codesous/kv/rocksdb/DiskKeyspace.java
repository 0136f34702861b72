package io.codesous.kv.rocksdb;

import io.codesous.kv.KvConflictException;
import io.codesous.kv.KvCounters;
import io.codesous.kv.KvException;
import io.codesous.kv.KvSwap;
import io.codesous.kv.KvWrite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The operations of a {@link RocksDbKvStore} on an open database, laid out as {@link DiskLayout}
 * says. Blocking: called only from the store's own pool.
 *
 * <p>Every operation that writes holds the instance lock from its first read to its one atomic
 * {@link WriteBatch}, which is what makes compare-and-set, counters and {@link #allocateAndWrite}
 * atomic with respect to each other. Reads take no lock: a point read sees a batch wholly or not
 * at all, and an iterator reads one consistent snapshot. Expired entries count as absent from
 * their deadline; writes that meet one and {@link #removeExpired} drop them.
 */
final class DiskKeyspace {

  private final RocksDB db;
  private final WriteOptions writeOptions;
  private final LongSupplier clockMs;

  DiskKeyspace(RocksDB db, WriteOptions writeOptions, LongSupplier clockMs) {
    this.db = db;
    this.writeOptions = writeOptions;
    this.clockMs = clockMs;
  }

  String get(String key) throws RocksDBException {
    Entry entry = liveValue(key, read(key));
    return entry == null ? null : entry.value();
  }

  Map<String, String> getAll(Collection<String> keys) throws RocksDBException {
    List<String> names = List.copyOf(keys);
    if (names.isEmpty()) {
      return Map.of();
    }
    List<byte[]> raw = new ArrayList<>(names.size());
    for (String name : names) {
      raw.add(DiskLayout.entryKey(name));
    }
    List<byte[]> found = db.multiGetAsList(raw);
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      byte[] bytes = found.get(i);
      Entry entry = liveValue(names.get(i), bytes == null ? null : Entry.decode(bytes));
      if (entry != null) {
        values.put(names.get(i), entry.value());
      }
    }
    return values;
  }

  synchronized void put(String key, String value, Duration ttlOrNull) throws RocksDBException {
    Entry current = read(key);
    requireNotIndex(key, current);
    long deadline = ttlOrNull == null ? KvCounters.NEVER : KvCounters.deadline(ttlOrNull, now());
    writeEntry(key, current, Entry.value(value, deadline));
  }

  synchronized boolean putIfAbsent(String key, String value, Duration ttlOrNull) throws RocksDBException {
    Entry current = read(key);
    if (liveValue(key, current) != null) {
      return false;
    }
    long deadline = ttlOrNull == null ? KvCounters.NEVER : KvCounters.deadline(ttlOrNull, now());
    writeEntry(key, current, Entry.value(value, deadline));
    return true;
  }

  synchronized boolean compareAndSet(String key, String expected, String update) throws RocksDBException {
    Entry current = read(key);
    Entry live = liveValue(key, current);
    if (live == null) {
      if (expected != null) {
        return false;
      }
      writeEntry(key, current, Entry.permanent(update));
      return true;
    }
    if (!live.value().equals(expected)) {
      return false;
    }
    writeEntry(key, current, live.withValue(update));
    return true;
  }

  /**
   * Judges every swap against the entries as the earlier swaps of the batch left them, then writes the ones that
   * matched in one batch: a refused key (an index) throws before anything is written.
   */
  synchronized List<Boolean> compareAndSetEach(List<KvSwap> swaps) throws RocksDBException {
    Map<String, Entry> staged = new HashMap<>();
    List<Boolean> written = new ArrayList<>(swaps.size());
    try (WriteBatch batch = new WriteBatch()) {
      for (KvSwap swap : swaps) {
        String key = swap.key();
        Entry current = staged.containsKey(key) ? staged.get(key) : read(key);
        Entry live = liveValue(key, current);
        Entry next;
        if (live == null) {
          next = swap.expected() == null ? Entry.permanent(swap.update()) : null;
        } else {
          next = live.value().equals(swap.expected()) ? live.withValue(swap.update()) : null;
        }
        if (next != null) {
          stage(batch, key, current, next);
          staged.put(key, next);
        }
        written.add(next != null);
      }
      if (batch.count() > 0) {
        db.write(writeOptions, batch);
      }
    }
    return written;
  }

  /** Removes a plain key or a whole sorted index, whichever holds the name. */
  synchronized boolean delete(String key) throws RocksDBException {
    Entry current = read(key);
    if (current == null) {
      return false;
    }
    try (WriteBatch batch = new WriteBatch()) {
      batch.delete(DiskLayout.entryKey(key));
      if (current.index()) {
        byte[] members = DiskLayout.memberPrefix(key);
        byte[] scores = DiskLayout.scorePrefix(key);
        batch.deleteRange(members, DiskLayout.upperBound(members));
        batch.deleteRange(scores, DiskLayout.upperBound(scores));
      } else if (current.expires()) {
        batch.delete(DiskLayout.expiryKey(current.deadlineMs(), key));
      }
      db.write(writeOptions, batch);
    }
    return current.index() || !current.isExpiredAt(now());
  }

  synchronized long increment(String key) throws RocksDBException {
    Entry current = read(key);
    Entry live = liveValue(key, current);
    long next = KvCounters.next(key, live == null ? null : live.value());
    writeEntry(key, current, counterEntry(live, next));
    return next;
  }

  synchronized void indexAdd(String index, String member, long score) throws RocksDBException {
    Entry current = read(index);
    requireNotValue(index, current);
    byte[] memberKey = DiskLayout.memberKey(index, member);
    byte[] previous = db.get(memberKey);
    try (WriteBatch batch = new WriteBatch()) {
      dropExpiredValue(batch, index, current);
      long members = current != null && current.index() ? current.members() : 0;
      if (previous != null) {
        batch.delete(DiskLayout.scoreKey(index, DiskLayout.decodeScore(previous), member));
      } else {
        batch.put(DiskLayout.entryKey(index), Entry.indexOf(members + 1).encode());
      }
      batch.put(memberKey, DiskLayout.encodeScore(score));
      batch.put(DiskLayout.scoreKey(index, score, member), new byte[0]);
      db.write(writeOptions, batch);
    }
  }

  synchronized boolean indexRemove(String index, String member) throws RocksDBException {
    Entry current = read(index);
    requireNotValue(index, current);
    if (current == null || !current.index()) {
      return false;
    }
    byte[] memberKey = DiskLayout.memberKey(index, member);
    byte[] previous = db.get(memberKey);
    if (previous == null) {
      return false;
    }
    try (WriteBatch batch = new WriteBatch()) {
      batch.delete(memberKey);
      batch.delete(DiskLayout.scoreKey(index, DiskLayout.decodeScore(previous), member));
      // An emptied index stops existing, so its name is free again (as in Redis).
      if (current.members() <= 1) {
        batch.delete(DiskLayout.entryKey(index));
      } else {
        batch.put(DiskLayout.entryKey(index), Entry.indexOf(current.members() - 1).encode());
      }
      db.write(writeOptions, batch);
    }
    return true;
  }

  List<String> indexRange(String index, int limit, boolean descending) throws RocksDBException {
    requireNotValue(index, read(index));
    return limit <= 0 ? List.of() : DiskScans.byScore(db, index, limit, descending);
  }

  List<String> indexMembersWithPrefix(String index, String prefix, int limit) throws RocksDBException {
    requireNotValue(index, read(index));
    return limit <= 0 ? List.of() : DiskScans.withPrefix(db, index, prefix, limit);
  }

  /**
   * Create-only writes are checked against the state before the call, then the counter and all
   * writes go in one batch in list order (a later write to the same key wins). Writes carry no expiry.
   */
  synchronized long allocateAndWrite(String counterKey, List<KvWrite> writes) throws RocksDBException {
    Entry counter = read(counterKey);
    Entry liveCounter = liveValue(counterKey, counter);
    long seq = KvCounters.next(counterKey, liveCounter == null ? null : liveCounter.value());
    Map<String, Entry> before = new LinkedHashMap<>();
    // Every check runs before the batch is written, so a failure leaves everything as it was.
    for (KvWrite write : writes) {
      String key = write.keyFor(seq);
      Entry current = before.containsKey(key) ? before.get(key) : read(key);
      before.put(key, current);
      if (liveValue(key, current) != null && !write.overwrite()) {
        throw new KvConflictException(key);
      }
    }
    try (WriteBatch batch = new WriteBatch()) {
      stage(batch, counterKey, counter, counterEntry(liveCounter, seq));
      for (KvWrite write : writes) {
        String key = write.keyFor(seq);
        stage(batch, key, before.get(key), Entry.permanent(write.valueFor(seq)));
      }
      db.write(writeOptions, batch);
    }
    return seq;
  }

  /** @return how many expired keys were removed */
  synchronized int removeExpired() throws RocksDBException {
    int removed = 0;
    try (WriteBatch batch = new WriteBatch()) {
      for (byte[] due : DiskScans.dueExpiries(db, now())) {
        batch.delete(due);
        String name = DiskLayout.nameOfExpiryKey(due);
        Entry entry = read(name);
        // a key rewritten since keeps its newer deadline: only the schedule entry goes
        if (entry != null && !entry.index() && entry.deadlineMs() == DiskLayout.deadlineOfExpiryKey(due)) {
          batch.delete(DiskLayout.entryKey(name));
          removed++;
        }
      }
      if (batch.count() > 0) {
        db.write(writeOptions, batch);
      }
    }
    return removed;
  }

  long countEntries() {
    return DiskScans.count(db);
  }

  private Entry read(String name) throws RocksDBException {
    byte[] bytes = db.get(DiskLayout.entryKey(name));
    return bytes == null ? null : Entry.decode(bytes);
  }

  /** The plain value unless absent or expired; a sorted index under the name is refused. */
  private Entry liveValue(String key, Entry entry) {
    requireNotIndex(key, entry);
    return entry == null || entry.isExpiredAt(now()) ? null : entry;
  }

  private void writeEntry(String key, Entry current, Entry next) throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      stage(batch, key, current, next);
      db.write(writeOptions, batch);
    }
  }

  /** Replaces {@code current} by {@code next}, moving the key in the expiry schedule. */
  private static void stage(WriteBatch batch, String key, Entry current, Entry next) throws RocksDBException {
    if (current != null && current.expires() && current.deadlineMs() != next.deadlineMs()) {
      batch.delete(DiskLayout.expiryKey(current.deadlineMs(), key));
    }
    batch.put(DiskLayout.entryKey(key), next.encode());
    if (next.expires()) {
      batch.put(DiskLayout.expiryKey(next.deadlineMs(), key), new byte[0]);
    }
  }

  private void dropExpiredValue(WriteBatch batch, String name, Entry current) throws RocksDBException {
    if (current != null && !current.index()) {
      batch.delete(DiskLayout.entryKey(name));
      batch.delete(DiskLayout.expiryKey(current.deadlineMs(), name));
    }
  }

  private static void requireNotIndex(String key, Entry entry) {
    if (entry != null && entry.index()) {
      throw new KvException("key holds a sorted index, not a value: " + key);
    }
  }

  /** A live value under the name is refused; an expired one counts as absent. */
  private void requireNotValue(String index, Entry entry) {
    if (entry != null && !entry.index() && !entry.isExpiredAt(now())) {
      throw new KvException("key holds a value, not a sorted index: " + index);
    }
  }

  private static Entry counterEntry(Entry live, long count) {
    String text = Long.toString(count);
    return live == null ? Entry.permanent(text) : live.withValue(text);
  }

  private long now() {
    return clockMs.getAsLong();
  }
}
