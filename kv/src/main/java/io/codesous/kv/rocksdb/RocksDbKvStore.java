package io.codesous.kv.rocksdb;

import io.codesous.kv.CallerContext;
import io.codesous.kv.KvArguments;
import io.codesous.kv.KvException;
import io.codesous.kv.KvStore;
import io.codesous.kv.KvSwap;
import io.codesous.kv.KvWrite;
import io.codesous.kv.StoreLifecycle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

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

  private final Vertx vertx;
  private final RocksDbKvOptions options;
  private final BlockingPool pool;
  private final OpenDatabase database;
  private final StoreLifecycle lifecycle = new StoreLifecycle("rocksdb store");
  private long sweepTimerId = -1;

  public RocksDbKvStore(Vertx vertx, RocksDbKvOptions options) {
    this(vertx, options, System::currentTimeMillis);
  }

  /** @param clockMs the current time in milliseconds, against which expiries are judged */
  public RocksDbKvStore(Vertx vertx, RocksDbKvOptions options, LongSupplier clockMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.database = new OpenDatabase(options, Objects.requireNonNull(clockMs, "clockMs"));
    this.pool = new BlockingPool(options.threads(), "rocksdb store at " + options.directory(),
        lifecycle::stopped, () -> {
          database.flushLog();
          return null;
        });
  }

  @Override
  public synchronized Future<Void> start() {
    // a failed open is not tried again: every later start reports its failure
    return CallerContext.completeOnCaller(lifecycle.start(() -> {
      Promise<Void> opened = Promise.promise();
      pool.runAlone(this::openDatabase, opened);
      return opened.future();
    }));
  }

  @Override
  public Future<Void> stop() {
    Promise<Void> closed = Promise.promise();
    synchronized (this) {
      if (sweepTimerId != -1) {
        vertx.cancelTimer(sweepTimerId);
        sweepTimerId = -1;
      }
      if (lifecycle.phase() == StoreLifecycle.Phase.STOPPED && pool.isShutdown()) {
        return Future.succeededFuture();
      }
      lifecycle.stop();
      pool.runAlone(() -> {
        database.close();
        return null;
      }, closed);
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

  /** Every delete in one task on the pool and one batch. */
  @Override
  public Future<Void> deleteEach(Collection<String> keys) {
    KvArguments.getAll(keys);
    List<String> copy = List.copyOf(keys);
    return call(keyspace -> {
      keyspace.deleteEach(copy);
      return null;
    });
  }

  @Override
  public Future<List<String>> keysWithPrefix(String prefix, int limit) {
    KvArguments.keysWithPrefix(prefix);
    return call(keys -> keys.keysWithPrefix(prefix, limit));
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
      keys.indexes().add(index, member, score);
      return null;
    });
  }

  @Override
  public Future<Boolean> indexRemove(String index, String member) {
    KvArguments.indexMember(index, member);
    return call(keys -> keys.indexes().remove(index, member));
  }

  /** Both writes in one task on the pool and one batch: one hop there and back, one write to the log. */
  @Override
  public Future<Boolean> putIfAbsentThenIndexAdd(String key, String value, Duration ttl, String index,
                                                 String member, long score) {
    KvArguments.putIfAbsent(key, value, ttl);
    KvArguments.indexMember(index, member);
    return call(keys -> keys.batches().putIfAbsentThenIndexAdd(key, value, ttl, index, member, score));
  }

  @Override
  public Future<Integer> indexTrimBelow(String index, long belowScore, int limit) {
    KvArguments.indexTrimBelow(index, limit);
    return call(keys -> keys.indexes().trimBelow(index, belowScore, limit));
  }

  @Override
  public Future<List<String>> indexRange(String index, int limit, boolean descending) {
    KvArguments.index(index);
    return call(keys -> keys.indexes().range(index, limit, descending));
  }

  @Override
  public Future<List<String>> indexMembersWithPrefix(String index, String prefix, int limit) {
    KvArguments.indexMembersWithPrefix(index, prefix);
    return call(keys -> keys.indexes().membersWithPrefix(index, prefix, limit));
  }

  @Override
  public Future<List<Boolean>> compareAndSetEach(List<KvSwap> swaps) {
    KvArguments.compareAndSetEach(swaps);
    List<KvSwap> copy = List.copyOf(swaps);
    return call(keys -> keys.batches().compareAndSetEach(copy));
  }

  @Override
  public Future<Long> allocateAndWrite(String counterKey, List<KvWrite> writes) {
    KvArguments.allocateAndWrite(counterKey, writes);
    List<KvWrite> copy = List.copyOf(writes);
    return call(keys -> keys.batches().allocateAndWrite(counterKey, copy));
  }

  /** Every entry on disk, of every kind (see {@link DiskLayout}): what a test sees the sweep remove. */
  Future<Long> storedEntries() {
    return call(DiskKeyspace::countEntries);
  }

  private <T> Future<T> call(OpenDatabase.Operation<T> operation) {
    KvException refusal = lifecycle.refusal();
    if (refusal != null) {
      return Future.failedFuture(refusal);
    }
    Promise<T> answer = Promise.promise();
    pool.run(() -> database.use(operation, lifecycle::stopped), answer);
    return CallerContext.completeOnCaller(answer.future());
  }

  /** A stop that overtakes the start finds the database closed again here, so none is ever left open. */
  private Void openDatabase() throws IOException {
    database.open();
    synchronized (this) {
      if (!lifecycle.started()) {
        database.close();
        throw lifecycle.stopped();
      }
      sweepTimerId = vertx.setPeriodic(SWEEP_INTERVAL_MS, timer -> sweep());
    }
    return null;
  }

  private void sweep() {
    if (lifecycle.phase() == StoreLifecycle.Phase.STARTED) {
      // alone: a sweep of many expired keys must not hold back the calls of its turn
      pool.runAlone(() -> database.use(DiskKeyspace::removeExpired, lifecycle::stopped),
          Promise.promise());
    }
  }
}
