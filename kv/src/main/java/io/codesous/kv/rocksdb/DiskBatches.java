package io.codesous.kv.rocksdb;

import io.codesous.kv.KvConflictException;
import io.codesous.kv.KvCounters;
import io.codesous.kv.KvSwap;
import io.codesous.kv.KvWrite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The operations of a {@link DiskKeyspace} that write several keys: each stages all of its writes in one
 * {@link WriteBatch} under the keyspace's lock, so one write reaches the database's log instead of one per key,
 * and all of them land or none. An activation's claim on an embedded server is such a pair (its record and its index
 * member), and each write to the log is a system call.
 *
 * <p>The pairs name two different keys, so reading the second key cannot miss a write staged for the first; a
 * pair that names one key twice runs its halves one after the other, as two calls would.
 */
final class DiskBatches {

  private final DiskKeyspace keys;

  DiskBatches(DiskKeyspace keys) {
    this.keys = keys;
  }

  boolean putIfAbsentThenIndexAdd(String key, String value, Duration ttl, String index, String member, long score)
      throws RocksDBException {
    synchronized (keys) {
      if (index.equals(key)) {
        boolean written = keys.putIfAbsent(key, value, ttl);
        if (written) {
          keys.indexes().add(index, member, score);
        }
        return written;
      }
      try (WriteBatch batch = new WriteBatch()) {
        if (!keys.stagePutIfAbsent(batch, key, value, ttl)) {
          return false;
        }
        keys.indexes().stageAdd(batch, index, member, score);
        return keys.write(batch);
      }
    }
  }

  /**
   * Judges every swap against the entries as the earlier swaps of the batch left them, then writes the ones that
   * matched in one batch: a refused key (an index) throws before anything is written.
   */
  List<Boolean> compareAndSetEach(List<KvSwap> swaps) throws RocksDBException {
    synchronized (keys) {
      Map<String, Entry> staged = new HashMap<>();
      List<Boolean> written = new ArrayList<>(swaps.size());
      try (WriteBatch batch = new WriteBatch()) {
        for (KvSwap swap : swaps) {
          String key = swap.key();
          Entry current = staged.containsKey(key) ? staged.get(key) : keys.read(key);
          Entry next = DiskKeyspace.swapped(keys.liveValue(key, current), swap.expected(), swap.update());
          if (next != null) {
            DiskKeyspace.stage(batch, key, current, next);
            staged.put(key, next);
          }
          written.add(next != null);
        }
        if (batch.count() > 0) {
          keys.write(batch);
        }
      }
      return written;
    }
  }

  /**
   * Create-only writes are checked against the state before the call, then the counter and all
   * writes go in one batch in list order (a later write to the same key wins). Writes carry no expiry.
   */
  long allocateAndWrite(String counterKey, List<KvWrite> writes) throws RocksDBException {
    synchronized (keys) {
      Entry counter = keys.read(counterKey);
      Entry liveCounter = keys.liveValue(counterKey, counter);
      long seq = KvCounters.next(counterKey, liveCounter == null ? null : liveCounter.value());
      Map<String, Entry> before = new LinkedHashMap<>();
      // Every check runs before the batch is written, so a failure leaves everything as it was.
      for (KvWrite write : writes) {
        String key = write.keyFor(seq);
        Entry current = before.containsKey(key) ? before.get(key) : keys.read(key);
        before.put(key, current);
        if (keys.liveValue(key, current) != null && !write.overwrite()) {
          throw new KvConflictException(key);
        }
      }
      try (WriteBatch batch = new WriteBatch()) {
        DiskKeyspace.stage(batch, counterKey, counter, DiskKeyspace.counterEntry(liveCounter, seq));
        for (KvWrite write : writes) {
          String key = write.keyFor(seq);
          DiskKeyspace.stage(batch, key, before.get(key), Entry.permanent(write.valueFor(seq)));
        }
        keys.write(batch);
      }
      return seq;
    }
  }

}
