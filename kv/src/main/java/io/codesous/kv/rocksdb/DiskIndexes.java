package io.codesous.kv.rocksdb;

import io.codesous.kv.KvException;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The sorted indexes of a {@link DiskKeyspace}, laid out as {@link DiskLayout} says: an entry holding the member
 * count under the index's name, and per member one key for its score and one in score order. Writes stage into a
 * batch and hold the keyspace's lock, as its own writes do; reads take none. A name holding a live value is not an
 * index, and an expired value under it counts as absent.
 */
final class DiskIndexes {

  private final RocksDB db;
  private final DiskKeyspace keys;

  DiskIndexes(RocksDB db, DiskKeyspace keys) {
    this.db = db;
    this.keys = keys;
  }

  void add(String index, String member, long score) throws RocksDBException {
    synchronized (keys) {
      try (WriteBatch batch = new WriteBatch()) {
        stageAdd(batch, index, member, score);
        keys.write(batch);
      }
    }
  }

  void stageAdd(WriteBatch batch, String index, String member, long score) throws RocksDBException {
    Entry current = keys.read(index);
    requireNotValue(index, current);
    byte[] memberKey = DiskLayout.memberKey(index, member);
    byte[] previous = db.get(memberKey);
    dropExpiredValue(batch, index, current);
    long members = current != null && current.index() ? current.members() : 0;
    if (previous != null) {
      batch.delete(DiskLayout.scoreKey(index, DiskLayout.decodeScore(previous), member));
    } else {
      batch.put(DiskLayout.entryKey(index), Entry.indexOf(members + 1).encode());
    }
    batch.put(memberKey, DiskLayout.encodeScore(score));
    batch.put(DiskLayout.scoreKey(index, score, member), new byte[0]);
  }

  boolean remove(String index, String member) throws RocksDBException {
    synchronized (keys) {
      try (WriteBatch batch = new WriteBatch()) {
        return stageRemove(batch, index, member) && keys.write(batch);
      }
    }
  }

  boolean stageRemove(WriteBatch batch, String index, String member) throws RocksDBException {
    return stageRemoveEach(batch, index, List.of(member)) > 0;
  }

  /**
   * Stages the removal of every member of {@code members} (repeats count once) and one update of the index's member
   * count: removing them one by one in one batch would read the same stale count for each. Returns how many were
   * members.
   */
  int stageRemoveEach(WriteBatch batch, String index, Collection<String> members) throws RocksDBException {
    Entry current = keys.read(index);
    requireNotValue(index, current);
    if (current == null || !current.index()) {
      return 0;
    }
    long left = current.members();
    for (String member : new LinkedHashSet<>(members)) {
      byte[] memberKey = DiskLayout.memberKey(index, member);
      byte[] previous = db.get(memberKey);
      if (previous != null) {
        batch.delete(memberKey);
        batch.delete(DiskLayout.scoreKey(index, DiskLayout.decodeScore(previous), member));
        left--;
      }
    }
    int removed = (int) (current.members() - left);
    if (removed == 0) {
      return 0;
    }
    // An emptied index stops existing, so its name is free again (as in Redis).
    if (left <= 0) {
      batch.delete(DiskLayout.entryKey(index));
    } else {
      batch.put(DiskLayout.entryKey(index), Entry.indexOf(left).encode());
    }
    return removed;
  }

  /** Removes the members scored below {@code belowScore}, lowest first, at most {@code limit}, in one batch. */
  int trimBelow(String index, long belowScore, int limit) throws RocksDBException {
    synchronized (keys) {
      Entry current = keys.read(index);
      requireNotValue(index, current);
      if (current == null || !current.index()) {
        return 0;
      }
      List<String> lowest = DiskScans.byScoreBelow(db, index, belowScore, limit);
      if (lowest.isEmpty()) {
        return 0;
      }
      try (WriteBatch batch = new WriteBatch()) {
        int removed = stageRemoveEach(batch, index, lowest);
        keys.write(batch);
        return removed;
      }
    }
  }

  List<String> range(String index, int limit, boolean descending) throws RocksDBException {
    requireNotValue(index, keys.read(index));
    return limit <= 0 ? List.of() : DiskScans.byScore(db, index, limit, descending);
  }

  List<String> membersWithPrefix(String index, String prefix, int limit) throws RocksDBException {
    requireNotValue(index, keys.read(index));
    return limit <= 0 ? List.of() : DiskScans.withPrefix(db, index, prefix, limit);
  }

  private void dropExpiredValue(WriteBatch batch, String name, Entry current) throws RocksDBException {
    if (current != null && !current.index()) {
      batch.delete(DiskLayout.entryKey(name));
      batch.delete(DiskLayout.expiryKey(current.deadlineMs(), name));
    }
  }

  /** A live value under the name is refused; an expired one counts as absent. */
  private void requireNotValue(String index, Entry entry) {
    if (entry != null && !entry.index() && !entry.isExpiredAt(keys.now())) {
      throw new KvException("key holds a value, not a sorted index: " + index);
    }
  }
}
