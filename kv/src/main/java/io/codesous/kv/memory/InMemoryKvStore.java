package io.codesous.kv.memory;

import io.codesous.kv.KvArguments;
import io.codesous.kv.KvException;
import io.codesous.kv.KvStore;
import io.codesous.kv.KvSwap;
import io.codesous.kv.KvWrite;
import io.codesous.kv.StoreLifecycle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The embedded mode's store: all state in this process's memory, lost when it stops.
 *
 * <p>Safe to call from any thread. Nothing here does I/O or waits, so every future is already
 * complete when returned. Expired keys count as absent from the moment they expire; they are
 * dropped when an operation touches them and by a periodic sweep that runs between
 * {@link #start()} and {@link #stop()}.
 *
 * <p>Beyond the {@link KvStore} contract, callers may rely on the following (mostly as Redis
 * behaves):
 *
 * <ul>
 *   <li>Plain keys and sorted indexes share one name space. Using an index's name as a plain key,
 *       or the reverse, fails with {@link KvException} naming the key. {@link #delete} removes
 *       either kind; an index whose last member is removed stops existing.
 *   <li>{@link #increment} and the counter of {@link #allocateAndWrite} keep the counter's expiry;
 *       the writes of {@link #allocateAndWrite} carry none. Counting past {@link Long#MAX_VALUE}
 *       fails with {@link KvException}.
 *   <li>Create-only writes of {@link #allocateAndWrite} are checked against the state before the
 *       call; the writes then apply in list order.
 *   <li>A ttl shorter than a millisecond is rounded up to one.
 * </ul>
 *
 * <p>Like every store, it fails every call before {@link #start()}, although it has nothing to
 * connect to: a component that forgot to start its store must fail here as it would against
 * Redis, not only in production. {@link #stop()} is final: it drops all data, and later calls fail
 * with {@link KvException}.
 */
public final class InMemoryKvStore implements KvStore {

  private static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final Keyspace keyspace;
  private final long sweepIntervalMs;
  private final StoreLifecycle lifecycle = new StoreLifecycle("in-memory store");
  private long sweepTimerId = -1;

  public InMemoryKvStore(Vertx vertx) {
    this(vertx, System::currentTimeMillis);
  }

  /** @param clockMs the current time in milliseconds, against which expiries are judged */
  public InMemoryKvStore(Vertx vertx, LongSupplier clockMs) {
    this(vertx, clockMs, DEFAULT_SWEEP_INTERVAL);
  }

  InMemoryKvStore(Vertx vertx, LongSupplier clockMs, Duration sweepInterval) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.keyspace = new Keyspace(Objects.requireNonNull(clockMs, "clockMs"));
    this.sweepIntervalMs = Math.max(1, sweepInterval.toMillis());
  }

  @Override
  public synchronized Future<Void> start() {
    return lifecycle.start(() -> {
      sweepTimerId = vertx.setPeriodic(sweepIntervalMs, timerId -> keyspace.removeExpired());
      lifecycle.started();
      return Future.succeededFuture();
    });
  }

  @Override
  public synchronized Future<Void> stop() {
    if (sweepTimerId != -1) {
      vertx.cancelTimer(sweepTimerId);
      sweepTimerId = -1;
    }
    lifecycle.stop();
    keyspace.clear();
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> ping() {
    return answer(() -> null);
  }

  @Override
  public Future<String> get(String key) {
    KvArguments.get(key);
    return answer(() -> keyspace.get(key));
  }

  @Override
  public Future<Map<String, String>> getAll(Collection<String> keys) {
    KvArguments.getAll(keys);
    return answer(() -> keyspace.getAll(keys));
  }

  @Override
  public Future<Void> put(String key, String value) {
    KvArguments.put(key, value);
    return answer(() -> {
      keyspace.put(key, value, null);
      return null;
    });
  }

  @Override
  public Future<Void> put(String key, String value, Duration ttl) {
    KvArguments.put(key, value, ttl);
    return answer(() -> {
      keyspace.put(key, value, ttl);
      return null;
    });
  }

  @Override
  public Future<Boolean> putIfAbsent(String key, String value, Duration ttl) {
    KvArguments.putIfAbsent(key, value, ttl);
    return answer(() -> keyspace.putIfAbsent(key, value, ttl));
  }

  @Override
  public Future<Boolean> compareAndSet(String key, String expected, String update) {
    KvArguments.compareAndSet(key, update);
    return answer(() -> keyspace.compareAndSet(key, expected, update));
  }

  @Override
  public Future<List<Boolean>> compareAndSetEach(List<KvSwap> swaps) {
    KvArguments.compareAndSetEach(swaps);
    List<KvSwap> copy = List.copyOf(swaps);
    return answer(() -> keyspace.compareAndSetEach(copy));
  }

  @Override
  public Future<Boolean> delete(String key) {
    KvArguments.key(key);
    return answer(() -> keyspace.delete(key));
  }

  @Override
  public Future<Long> increment(String key) {
    KvArguments.key(key);
    return answer(() -> keyspace.increment(key));
  }

  @Override
  public Future<Void> indexAdd(String index, String member, long score) {
    KvArguments.indexMember(index, member);
    return answer(() -> {
      keyspace.indexAdd(index, member, score);
      return null;
    });
  }

  @Override
  public Future<Boolean> indexRemove(String index, String member) {
    KvArguments.indexMember(index, member);
    return answer(() -> keyspace.indexRemove(index, member));
  }

  @Override
  public Future<Integer> indexTrimBelow(String index, long belowScore, int limit) {
    KvArguments.indexTrimBelow(index, limit);
    return answer(() -> keyspace.indexTrimBelow(index, belowScore, limit));
  }

  @Override
  public Future<List<String>> indexRange(String index, int limit, boolean descending) {
    KvArguments.index(index);
    return answer(() -> keyspace.indexRange(index, limit, descending));
  }

  @Override
  public Future<List<String>> indexMembersWithPrefix(String index, String prefix, int limit) {
    KvArguments.indexMembersWithPrefix(index, prefix);
    return answer(() -> keyspace.indexMembersWithPrefix(index, prefix, limit));
  }

  @Override
  public Future<List<String>> keysWithPrefix(String prefix, int limit) {
    KvArguments.keysWithPrefix(prefix);
    return answer(() -> keyspace.keysWithPrefix(prefix, limit));
  }

  @Override
  public Future<Long> allocateAndWrite(String counterKey, List<KvWrite> writes) {
    KvArguments.allocateAndWrite(counterKey, writes);
    return answer(() -> keyspace.allocateAndWrite(counterKey, writes));
  }

  /** Keys and indexes held in memory, expired ones the sweep has not yet removed included. */
  int size() {
    return keyspace.size();
  }

  private <T> Future<T> answer(Supplier<T> operation) {
    KvException refusal = lifecycle.refusal();
    if (refusal != null) {
      return Future.failedFuture(refusal);
    }
    try {
      return Future.succeededFuture(operation.get());
    } catch (KvException refused) {
      return Future.failedFuture(refused);
    }
  }
}
