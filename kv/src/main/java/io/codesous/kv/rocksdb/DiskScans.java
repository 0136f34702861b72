package io.codesous.kv.rocksdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/** The reads that walk a range of {@link DiskLayout}'s key space; each iterator reads one consistent snapshot. */
final class DiskScans {

  private DiskScans() {
  }

  /** Members of an index by score (ties by member bytes), at most {@code limit}, highest first when descending. */
  static List<String> byScore(RocksDB db, String index, int limit, boolean descending) {
    byte[] prefix = DiskLayout.scorePrefix(index);
    List<String> members = new ArrayList<>();
    try (RocksIterator entries = db.newIterator()) {
      if (descending) {
        entries.seekForPrev(DiskLayout.upperBound(prefix));
      } else {
        entries.seek(prefix);
      }
      while (entries.isValid() && members.size() < limit && DiskLayout.startsWith(entries.key(), prefix)) {
        members.add(DiskLayout.memberOfScoreKey(prefix, entries.key()));
        if (descending) {
          entries.prev();
        } else {
          entries.next();
        }
      }
    }
    return members;
  }

  /** Members of an index scored below {@code belowScore}, lowest first, at most {@code limit}. */
  static List<String> byScoreBelow(RocksDB db, String index, long belowScore, int limit) {
    byte[] prefix = DiskLayout.scorePrefix(index);
    byte[] bound = DiskLayout.scoreKey(index, belowScore, "");
    List<String> members = new ArrayList<>();
    try (RocksIterator entries = db.newIterator()) {
      for (entries.seek(prefix); entries.isValid() && members.size() < limit
          && Arrays.compareUnsigned(entries.key(), bound) < 0; entries.next()) {
        members.add(DiskLayout.memberOfScoreKey(prefix, entries.key()));
      }
    }
    return members;
  }

  /**
   * Names of the entries (values and indexes) that start with {@code prefix}, in byte order, at most {@code limit};
   * a value expired at {@code nowMs} that the sweep has not removed yet is skipped.
   */
  static List<String> namesWithPrefix(RocksDB db, String prefix, int limit, long nowMs) {
    byte[] start = DiskLayout.entryKey(prefix);
    List<String> names = new ArrayList<>();
    try (RocksIterator entries = db.newIterator()) {
      for (entries.seek(start); entries.isValid() && names.size() < limit
          && DiskLayout.startsWith(entries.key(), start); entries.next()) {
        Entry entry = Entry.decode(entries.value());
        if (entry.index() || !entry.isExpiredAt(nowMs)) {
          names.add(DiskLayout.nameOfEntryKey(entries.key()));
        }
      }
    }
    return names;
  }

  /** Members of an index that start with {@code prefix}, in byte order, at most {@code limit}. */
  static List<String> withPrefix(RocksDB db, String index, String prefix, int limit) {
    byte[] indexPrefix = DiskLayout.memberPrefix(index);
    byte[] start = DiskLayout.memberKey(index, prefix);
    List<String> members = new ArrayList<>();
    try (RocksIterator entries = db.newIterator()) {
      for (entries.seek(start); entries.isValid() && members.size() < limit
          && DiskLayout.startsWith(entries.key(), start); entries.next()) {
        members.add(DiskLayout.memberOfMemberKey(indexPrefix, entries.key()));
      }
    }
    return members;
  }

  /** The schedule entries whose deadline is at or before {@code nowMs}, earliest first. */
  static List<byte[]> dueExpiries(RocksDB db, long nowMs) {
    byte[] prefix = DiskLayout.expiryPrefix();
    List<byte[]> due = new ArrayList<>();
    try (RocksIterator entries = db.newIterator()) {
      for (entries.seek(prefix); entries.isValid() && DiskLayout.startsWith(entries.key(), prefix)
          && DiskLayout.deadlineOfExpiryKey(entries.key()) <= nowMs; entries.next()) {
        due.add(entries.key());
      }
    }
    return due;
  }

  static long count(RocksDB db) {
    long count = 0;
    try (RocksIterator entries = db.newIterator()) {
      for (entries.seekToFirst(); entries.isValid(); entries.next()) {
        count++;
      }
    }
    return count;
  }
}
