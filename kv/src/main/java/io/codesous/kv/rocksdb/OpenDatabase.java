package io.codesous.kv.rocksdb;

import io.codesous.kv.KvException;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * RocksDB's native handles of one {@link RocksDbKvStore}. Calls use the database under a shared lock, opening
 * and closing take it alone: the native database is never closed under a running call, which would crash the
 * process rather than fail the call. Blocking; used on the store's pool only.
 */
final class OpenDatabase {

  /**
   * The memtable's size, a quarter of RocksDB's 64 MB default. An embedded server under load fills a memtable in
   * seconds (an activation writes about 2 KB: its journal entry, its record twice, its index members), and RocksDB
   * keeps up to two of them plus the allocator's slack, so the default put 100 MB or more on a server whose heap
   * is 256 MB. {@code bench/run.sh --store-cost} on one core: peak RSS 235–242 MB against 303–305 MB, at 84 µs of
   * CPU per activation's four store calls against 75–77 µs (more, smaller flushes; fewer deletes meet their put
   * in the memtable). {@code cs server} under {@code bench/cpu-per-request.sh}'s load (warm hello, one core, 100 s):
   * peak RSS 344–347 MB against 394–404 MB, CPU per request inside the spread between runs.
   */
  private static final long WRITE_BUFFER_BYTES = 16L << 20;

  /** One operation on the keyspace; it may throw what RocksDB throws. */
  @FunctionalInterface
  interface Operation<T> {
    T apply(DiskKeyspace keyspace) throws RocksDBException;
  }

  private final RocksDbKvOptions options;
  private final LongSupplier clockMs;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private RocksDB db;
  private Options dbOptions;
  private BloomFilter bloomFilter;
  private WriteOptions writeOptions;
  private DiskKeyspace keyspace;
  /** Why the close could not hand the log's buffer to the operating system; {@code null} when it could. */
  private RocksDBException lostOnClose;

  OpenDatabase(RocksDbKvOptions options, LongSupplier clockMs) {
    this.options = options;
    this.clockMs = clockMs;
  }

  /** Opens the database, creating its directory; refuses, naming the directory, when another process holds it. */
  void open() throws IOException {
    lock.writeLock().lock();
    try {
      RocksDB.loadLibrary();
      Files.createDirectories(options.directory());
      // Bloom filters on whole keys, in the memtable and in every table file written from now on (older files keep
      // working without one). Most reads of the hot path are of keys that are not there: the claim's
      // put-if-absent of a new activation and the index member it adds. Without a filter each of them searched the
      // memtable's skip list and then every level's index and data blocks; a perf profile of the embedded server
      // under load put RocksDB's Get at about 30% of the store's pool, half of it the memtable search.
      bloomFilter = new BloomFilter(10);
      dbOptions = new Options().setCreateIfMissing(true)
          .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloomFilter))
          .setMemtableWholeKeyFiltering(true).setMemtablePrefixBloomSizeRatio(0.05)
          .setWriteBufferSize(WRITE_BUFFER_BYTES)
          // without fsync, writes go to the log's buffer and the pool hands a task's worth of them to the operating
          // system at once (flushLog); with fsync, every write is synced on its own as before
          .setManualWalFlush(!options.fsync())
          // RocksDB's own info log stays small: warnings only, two files at most
          .setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setKeepLogFileNum(2);
      writeOptions = new WriteOptions().setSync(options.fsync());
      try {
        db = RocksDB.open(dbOptions, options.directory().toString());
      } catch (RocksDBException lockedOrBroken) {
        closeHandles();
        throw new KvException("cannot open the store at " + options.directory()
            + " (is another process using this data directory?): " + lockedOrBroken.getMessage(),
            lockedOrBroken);
      }
      keyspace = new DiskKeyspace(db, writeOptions, clockMs);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Runs one operation on the open database; fails with {@code closed} when it is not open. */
  <T> T use(Operation<T> operation, Supplier<KvException> closed) throws RocksDBException {
    lock.readLock().lock();
    try {
      if (keyspace == null) {
        throw closed.get();
      }
      return operation.apply(keyspace);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Hands what the write-ahead log has buffered to the operating system, which a killed process cannot lose: the
   * pool calls it after each task's calls and before any of them is acknowledged. Without fsync each write used to
   * be a {@code write(2)} of its own (a {@code perf} profile of the embedded server under load put those at a
   * quarter of the store's threads); now a task of several calls makes one. Does nothing when the database syncs
   * every write, or is closed and its close wrote the buffer.
   */
  void flushLog() throws RocksDBException {
    lock.readLock().lock();
    try {
      if (db != null && !options.fsync()) {
        db.flushWal(false);
      } else if (lostOnClose != null) {
        // a task whose writes the close found in the buffer: they are not in the log
        throw lostOnClose;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Waits for running calls, then closes; every acknowledged write was handed to the log's file. Idempotent. */
  void close() {
    lock.writeLock().lock();
    try {
      if (db != null && !options.fsync()) {
        try {
          // nothing acknowledged is left in the buffer (see flushLog); what a task's calls wrote before its own
          // flush may be
          db.flushWal(false);
        } catch (RocksDBException e) {
          // closing goes on; the tasks whose flush comes after the close fail with this instead of being acknowledged
          lostOnClose = e;
        }
      }
      closeHandles();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void closeHandles() {
    keyspace = null;
    if (db != null) {
      db.close();
      db = null;
    }
    if (writeOptions != null) {
      writeOptions.close();
      writeOptions = null;
    }
    if (dbOptions != null) {
      dbOptions.close();
      dbOptions = null;
    }
    if (bloomFilter != null) {
      bloomFilter.close();
      bloomFilter = null;
    }
  }
}
