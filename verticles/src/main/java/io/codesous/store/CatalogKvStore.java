package io.codesous.store;

import io.codesous.kv.KvConflictException;
import io.codesous.kv.KvException;
import io.codesous.kv.KvStore;
import io.codesous.kv.KvSwap;
import io.codesous.kv.KvWrite;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The KV port as the stores see it: every failure already in the catalog. A conflict becomes
 * {@code CS_CONFLICT}, any other failure of the port {@code CS_UNAVAILABLE} (the port's exception kept as the
 * cause, for the operator's log); anything else passes unchanged. Translated once, here, so no store call can
 * forget it. Completions stay on the context the port completes them on.
 */
final class CatalogKvStore implements KvStore {

  private final KvStore port;

  private CatalogKvStore(KvStore port) {
    this.port = port;
  }

  /** {@code kv} with failures in the catalog; a store already translated is returned as it is. */
  static KvStore of(KvStore kv) {
    Objects.requireNonNull(kv, "kv");
    return kv instanceof CatalogKvStore ? kv : new CatalogKvStore(kv);
  }

  static <T> Future<T> translate(Throwable failure) {
    if (failure instanceof KvConflictException) {
      return Future.failedFuture(new CsException(ErrorCode.CS_CONFLICT, "the resource changed concurrently"));
    }
    if (failure instanceof KvException) {
      return Future.failedFuture(new CsException(ErrorCode.CS_UNAVAILABLE, "state store unavailable", null, failure));
    }
    return Future.failedFuture(failure);
  }

  @Override
  public Future<Void> start() {
    return port.start();
  }

  @Override
  public Future<Void> stop() {
    return port.stop();
  }

  @Override
  public Future<Void> ping() {
    return port.ping().recover(CatalogKvStore::translate);
  }

  @Override
  public Future<String> get(String key) {
    return port.get(key).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<Map<String, String>> getAll(Collection<String> keys) {
    return port.getAll(keys).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<Void> put(String key, String value) {
    return port.put(key, value).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<Void> put(String key, String value, Duration ttl) {
    return port.put(key, value, ttl).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<Boolean> putIfAbsent(String key, String value, Duration ttl) {
    return port.putIfAbsent(key, value, ttl).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<Boolean> compareAndSet(String key, String expected, String update) {
    return port.compareAndSet(key, expected, update).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<List<Boolean>> compareAndSetEach(List<KvSwap> swaps) {
    return port.compareAndSetEach(swaps).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<Boolean> delete(String key) {
    return port.delete(key).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<Long> increment(String key) {
    return port.increment(key).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<Void> indexAdd(String index, String member, long score) {
    return port.indexAdd(index, member, score).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<Boolean> indexRemove(String index, String member) {
    return port.indexRemove(index, member).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<Boolean> putIfAbsentThenIndexAdd(String key, String value, Duration ttl, String index,
                                                 String member, long score) {
    return port.putIfAbsentThenIndexAdd(key, value, ttl, index, member, score).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<Void> deleteEach(Collection<String> keys) {
    return port.deleteEach(keys).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<List<String>> keysWithPrefix(String prefix, int limit) {
    return port.keysWithPrefix(prefix, limit).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<Integer> indexTrimBelow(String index, long belowScore, int limit) {
    return port.indexTrimBelow(index, belowScore, limit).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<List<String>> indexRange(String index, int limit, boolean descending) {
    return port.indexRange(index, limit, descending).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<List<String>> indexMembersWithPrefix(String index, String prefix, int limit) {
    return port.indexMembersWithPrefix(index, prefix, limit).recover(CatalogKvStore::translate);
  }

  @Override
  public Future<Long> allocateAndWrite(String counterKey, List<KvWrite> writes) {
    return port.allocateAndWrite(counterKey, writes).recover(CatalogKvStore::translate);
  }
}
