package io.codesous.kv.rocksdb;

import io.codesous.kv.CallerContext;
import io.codesous.kv.KvArguments;
import io.codesous.kv.KvException;
import io.codesous.kv.KvStore;
import io.codesous.kv.KvWrite;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;

import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * The embedded mode's persistent store: the same {@link KvStore} as the in-memory one, kept in a
 * RocksDB database in the data directory, so functions, versions, aliases, secrets and
 * activations outlive the process.
 *
 * <p>Why RocksDB: {@code bench/run.sh --store} measured it against H2's MVStore with every write
 * handed to the operating system before it is acknowledged (what survives {@code kill -9}).
 * RocksDB appends a write to its log; MVStore has no log and must commit a chunk per write, which
 * made its writes about seven times slower, its p99 ten times higher and its files fifty times
 * larger (see README, "Where the embedded server keeps its state").
 *
 * <p>RocksDB calls block, so every operation runs on the store's own bounded pool and its future
 * completes on the caller's context, as the port requires; no call ever runs on an event loop.
 * Expiry, the shared name space of keys and indexes, counters and the atomicity of the multi-key
 * operations are those of the in-memory store ({@link DiskKeyspace} says how). Expired keys are
 * removed by a sweep every second while started.
 *
 * <p>{@link #stop()} waits for the calls that are running, closes the database (RocksDB flushes
 * nothing it had not already logged) and fails the calls still queued; a stopped store cannot be
 * started again.
 */
public final class RocksDbKvStore implements KvStore {

  private static final long SWEEP_INTERVAL_MS = 1_000;

  private enum State { NEW, STARTING, STARTED, STOPPED }

  private final Vertx vertx;
  private final RocksDbKvOptions options;
  private final LongSupplier clockMs;
  private final ExecutorService pool;
  // Calls hold it shared while they use the database; closing takes it alone, so the native
  // database is never closed under a running call.
  private final ReadWriteLock open = new ReentrantReadWriteLock();
  private volatile State state = State.NEW;
  private Promise<Void> started;
  private long sweepTimerId = -1;
  private RocksDB db;
  private Options dbOptions;
  private WriteOptions writeOptions;
  private volatile DiskKeyspace keyspace;

  public RocksDbKvStore(Vertx vertx, RocksDbKvOptions options) {
    this(vertx, options, System::currentTimeMillis);
  }

  /** @param clockMs the current time in milliseconds, against which expiries are judged */
  public RocksDbKvStore(Vertx vertx, RocksDbKvOptions options, LongSupplier clockMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    AtomicInteger threadNumber = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(options.threads(), task -> {
      Thread thread = new Thread(task, "cs-kv-rocksdb-" + threadNumber.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public synchronized Future<Void> start() {
    switch (state) {
      case STOPPED:
        return Future.failedFuture(stoppedException());
      case NEW:
        state = State.STARTING;
        started = Promise.promise();
        run(this::openDatabase, started);
        break;
      default:
        break;
    }
    return CallerContext.completeOnCaller(started.future());
  }

  @Override
  public Future<Void> stop() {
    Promise<Void> closed = Promise.promise();
    synchronized (this) {
      if (sweepTimerId != -1) {
        vertx.cancelTimer(sweepTimerId);
        sweepTimerId = -1;
      }
      if (state == State.STOPPED && pool.isShutdown()) {
        return Future.succeededFuture();
      }
      state = State.STOPPED;
      run(this::closeDatabase, closed);
      pool.shutdown();
    }
    return CallerContext.completeOnCaller(closed.future());
  }

  @Override
  public Future<Void> ping() {
    return call(keys -> null);
  }

  @Override
  public Future<String> get(String key) {
    KvArguments.get(key);
    return call(keys -> keys.get(key));
  }

  @Override
  public Future<Map<String, String>> getAll(Collection<String> keys) {
    KvArguments.getAll(keys);
    return call(keyspace -> keyspace.getAll(keys));
  }

  @Override
  public Future<Void> put(String key, String value) {
    KvArguments.put(key, value);
    return call(keys -> {
      keys.put(key, value, null);
      return null;
    });
  }

  @Override
  public Future<Void> put(String key, String value, Duration ttl) {
    KvArguments.put(key, value, ttl);
    return call(keys -> {
      keys.put(key, value, ttl);
      return null;
    });
  }

  @Override
  public Future<Boolean> putIfAbsent(String key, String value, Duration ttl) {
    KvArguments.putIfAbsent(key, value, ttl);
    return call(keys -> keys.putIfAbsent(key, value, ttl));
  }

  @Override
  public Future<Boolean> compareAndSet(String key, String expected, String update) {
    KvArguments.compareAndSet(key, update);
    return call(keys -> keys.compareAndSet(key, expected, update));
  }

  @Override
  public Future<Boolean> delete(String key) {
    KvArguments.key(key);
    return call(keys -> keys.delete(key));
  }

  @Override
  public Future<Long> increment(String key) {
    KvArguments.key(key);
    return call(keys -> keys.increment(key));
  }

  @Override
  public Future<Void> indexAdd(String index, String member, long score) {
    KvArguments.indexMember(index, member);
    return call(keys -> {
      keys.indexAdd(index, member, score);
      return null;
    });
  }

  @Override
  public Future<Boolean> indexRemove(String index, String member) {
    KvArguments.indexMember(index, member);
    return call(keys -> keys.indexRemove(index, member));
  }

  @Override
  public Future<List<String>> indexRange(String index, int limit, boolean descending) {
    KvArguments.index(index);
    return call(keys -> keys.indexRange(index, limit, descending));
  }

  @Override
  public Future<List<String>> indexMembersWithPrefix(String index, String prefix, int limit) {
    KvArguments.indexMembersWithPrefix(index, prefix);
    return call(keys -> keys.indexMembersWithPrefix(index, prefix, limit));
  }

  @Override
  public Future<Long> allocateAndWrite(String counterKey, List<KvWrite> writes) {
    KvArguments.allocateAndWrite(counterKey, writes);
    List<KvWrite> copy = List.copyOf(writes);
    return call(keys -> keys.allocateAndWrite(counterKey, copy));
  }

  /** Every entry on disk, of every kind (see {@link DiskLayout}): what a test sees the sweep remove. */
  Future<Long> storedEntries() {
    return call(DiskKeyspace::countEntries);
  }

  /** One operation on the keyspace; it may throw what RocksDB throws. */
  @FunctionalInterface
  private interface Operation<T> {
    T apply(DiskKeyspace keyspace) throws RocksDBException;
  }

  /** A blocking task of the pool; it may throw what RocksDB or the file system throws. */
  @FunctionalInterface
  private interface Task<T> {
    T call() throws Exception;
  }

  private <T> Future<T> call(Operation<T> operation) {
    State current = state;
    if (current != State.STARTED) {
      return Future.failedFuture(current == State.STOPPED
          ? stoppedException()
          : new KvException("rocksdb store is not started"));
    }
    Promise<T> answer = Promise.promise();
    run(() -> {
      open.readLock().lock();
      try {
        DiskKeyspace keys = keyspace;
        if (state != State.STARTED || keys == null) {
          throw stoppedException();
        }
        return operation.apply(keys);
      } finally {
        open.readLock().unlock();
      }
    }, answer);
    return CallerContext.completeOnCaller(answer.future());
  }

  /** Runs a blocking task on the pool; what it throws fails the promise as a {@link KvException}. */
  private <T> void run(Task<T> task, Promise<T> promise) {
    try {
      pool.execute(() -> {
        try {
          promise.complete(task.call());
        } catch (KvException refused) {
          promise.fail(refused);
        } catch (Exception | Error failure) {
          // an Error too: a caller waiting on the future must hear of it
          promise.fail(new KvException("rocksdb store at " + options.directory() + ": "
              + failure, failure));
        }
      });
    } catch (RejectedExecutionException stopping) {
      promise.fail(stoppedException());
    }
  }

  /** Under the close lock, so that a stop that overtakes the start never leaves a database open. */
  private Void openDatabase() throws IOException {
    open.writeLock().lock();
    try {
      if (state != State.STARTING) {
        throw stoppedException();
      }
      RocksDB.loadLibrary();
      Files.createDirectories(options.directory());
      dbOptions = new Options().setCreateIfMissing(true)
          // RocksDB's own info log stays small: warnings only, two files at most
          .setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setKeepLogFileNum(2);
      writeOptions = new WriteOptions().setSync(options.fsync());
      try {
        db = RocksDB.open(dbOptions, options.directory().toString());
      } catch (RocksDBException lockedOrBroken) {
        throw new KvException("cannot open the store at " + options.directory()
            + " (is another process using this data directory?): " + lockedOrBroken.getMessage(),
            lockedOrBroken);
      }
      synchronized (this) {
        if (state != State.STARTING) {
          // stopped while opening: the close already ran (or is waiting for this lock)
          closeDatabase();
          throw stoppedException();
        }
        keyspace = new DiskKeyspace(db, writeOptions, clockMs);
        state = State.STARTED;
        sweepTimerId = vertx.setPeriodic(SWEEP_INTERVAL_MS, timer -> sweep());
      }
      return null;
    } finally {
      open.writeLock().unlock();
    }
  }

  private void sweep() {
    if (state == State.STARTED) {
      run(() -> {
        open.readLock().lock();
        try {
          return state == State.STARTED ? keyspace.removeExpired() : 0;
        } finally {
          open.readLock().unlock();
        }
      }, Promise.promise());
    }
  }

  private Void closeDatabase() {
    open.writeLock().lock();
    try {
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
      return null;
    } finally {
      open.writeLock().unlock();
    }
  }

  private static KvException stoppedException() {
    return new KvException("rocksdb store is stopped");
  }
}
