package io.codesous.kv.rocksdb;

import io.codesous.kv.KvCounters;
import io.codesous.kv.KvException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * {@link WriteBatch}, which is what makes compare-and-set, counters and {@link DiskBatches#allocateAndWrite}
 * atomic with respect to each other ({@link DiskBatches}, the operations on several keys, and {@link DiskIndexes}
 * take the same lock).
 * Reads take no lock: a point read sees a batch wholly or not at all, and an iterator reads one consistent
 * snapshot. Expired entries count as absent from
 * their deadline; writes that meet one and {@link #removeExpired} drop them.
 */
final class DiskKeyspace {

  private final RocksDB db;
  private final WriteOptions writeOptions;
  private final LongSupplier clockMs;
  private final DiskBatches batches;
  private final DiskIndexes indexes;

  DiskKeyspace(RocksDB db, WriteOptions writeOptions, LongSupplier clockMs) {
    this.db = db;
    this.writeOptions = writeOptions;
    this.clockMs = clockMs;
    this.batches = new DiskBatches(this);
    this.indexes = new DiskIndexes(db, this);
  }

  /** The operations that write several keys in one batch; they hold this keyspace's lock. */
  DiskBatches batches() {
    return batches;
  }

  /** The sorted indexes; their writes hold this keyspace's lock. */
  DiskIndexes indexes() {
    return indexes;
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
    try (WriteBatch batch = new WriteBatch()) {
      stagePut(batch, key, value, ttlOrNull);
      db.write(writeOptions, batch);
    }
  }

  synchronized boolean putIfAbsent(String key, String value, Duration ttlOrNull) throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      return stagePutIfAbsent(batch, key, value, ttlOrNull) && write(batch);
    }
  }

  void stagePut(WriteBatch batch, String key, String value, Duration ttlOrNull) throws RocksDBException {
    Entry current = read(key);
    requireNotIndex(key, current);
    long deadline = ttlOrNull == null ? KvCounters.NEVER : KvCounters.deadline(ttlOrNull, now());
    stage(batch, key, current, Entry.value(value, deadline));
  }

  boolean stagePutIfAbsent(WriteBatch batch, String key, String value, Duration ttlOrNull)
      throws RocksDBException {
    Entry current = read(key);
    if (liveValue(key, current) != null) {
      return false;
    }
    long deadline = ttlOrNull == null ? KvCounters.NEVER : KvCounters.deadline(ttlOrNull, now());
    stage(batch, key, current, Entry.value(value, deadline));
    return true;
  }

  /** Writes a staged batch; true, so that a staging step's answer can end in it. */
  boolean write(WriteBatch batch) throws RocksDBException {
    db.write(writeOptions, batch);
    return true;
  }

  synchronized boolean compareAndSet(String key, String expected, String update) throws RocksDBException {
    Entry current = read(key);
    Entry next = swapped(liveValue(key, current), expected, update);
    if (next != null) {
      writeEntry(key, current, next);
    }
    return next != null;
  }

  /**
   * What a compare-and-set leaves under a key whose live entry is {@code live} (null: absent or expired), or null
   * when it does not match {@code expected} (null: the key must be absent). The value's expiry is kept.
   */
  static Entry swapped(Entry live, String expected, String update) {
    if (live == null) {
      return expected == null ? Entry.permanent(update) : null;
    }
    return live.value().equals(expected) ? live.withValue(update) : null;
  }

  /** Removes a plain key or a whole sorted index, whichever holds the name. */
  synchronized boolean delete(String key) throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      boolean removed = stageDelete(batch, key);
      if (batch.count() > 0) {
        db.write(writeOptions, batch);
      }
      return removed;
    }
  }

  /** Removes every key (plain or index) in one batch: one write to the log. */
  synchronized void deleteEach(Collection<String> keys) throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      for (String key : new LinkedHashSet<>(keys)) {
        stageDelete(batch, key);
      }
      if (batch.count() > 0) {
        db.write(writeOptions, batch);
      }
    }
  }

  List<String> keysWithPrefix(String prefix, int limit) {
    return limit <= 0 ? List.of() : DiskScans.namesWithPrefix(db, prefix, limit, now());
  }

  boolean stageDelete(WriteBatch batch, String key) throws RocksDBException {
    Entry current = read(key);
    if (current == null) {
      return false;
    }
    batch.delete(DiskLayout.entryKey(key));
    if (current.index()) {
      byte[] members = DiskLayout.memberPrefix(key);
      byte[] scores = DiskLayout.scorePrefix(key);
      batch.deleteRange(members, DiskLayout.upperBound(members));
      batch.deleteRange(scores, DiskLayout.upperBound(scores));
    } else if (current.expires()) {
      batch.delete(DiskLayout.expiryKey(current.deadlineMs(), key));
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

  Entry read(String name) throws RocksDBException {
    byte[] bytes = db.get(DiskLayout.entryKey(name));
    return bytes == null ? null : Entry.decode(bytes);
  }

  /** The plain value unless absent or expired; a sorted index under the name is refused. */
  Entry liveValue(String key, Entry entry) {
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
  static void stage(WriteBatch batch, String key, Entry current, Entry next) throws RocksDBException {
    if (current != null && current.expires() && current.deadlineMs() != next.deadlineMs()) {
      batch.delete(DiskLayout.expiryKey(current.deadlineMs(), key));
    }
    batch.put(DiskLayout.entryKey(key), next.encode());
    if (next.expires()) {
      batch.put(DiskLayout.expiryKey(next.deadlineMs(), key), new byte[0]);
    }
  }

  private static void requireNotIndex(String key, Entry entry) {
    if (entry != null && entry.index()) {
      throw new KvException("key holds a sorted index, not a value: " + key);
    }
  }

  static Entry counterEntry(Entry live, long count) {
    String text = Long.toString(count);
    return live == null ? Entry.permanent(text) : live.withValue(text);
  }

  long now() {
    return clockMs.getAsLong();
  }
}
