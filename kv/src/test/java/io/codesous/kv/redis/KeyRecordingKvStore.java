package io.codesous.kv.redis;

import io.codesous.kv.KvStore;
import io.codesous.kv.KvStoreContract;
import io.codesous.kv.KvSwap;
import io.codesous.kv.KvWrite;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Passes every call on and remembers the per-test key prefixes ({@code cs-test:<uuid>:}) of the
 * keys it saw, so a test class can remove exactly the keys its own run wrote on a shared server.
 */
final class KeyRecordingKvStore implements KvStore {

  private static final Pattern TEST_PREFIX =
      Pattern.compile("^" + Pattern.quote(KvStoreContract.TEST_KEY_PREFIX) + "[^:]+:");

  private final KvStore delegate;
  private final Set<String> prefixes = ConcurrentHashMap.newKeySet();

  KeyRecordingKvStore(KvStore delegate) {
    this.delegate = delegate;
  }

  /** The prefixes seen so far. */
  Set<String> prefixes() {
    return Set.copyOf(prefixes);
  }

  /** Remembers the prefix of a key written or read outside this store. */
  void record(String key) {
    if (key == null) {
      return;
    }
    Matcher prefix = TEST_PREFIX.matcher(key);
    if (prefix.find()) {
      prefixes.add(prefix.group());
    }
  }

  @Override
  public Future<Void> start() {
    return delegate.start();
  }

  @Override
  public Future<Void> stop() {
    return delegate.stop();
  }

  @Override
  public Future<Void> ping() {
    return delegate.ping();
  }

  @Override
  public Future<String> get(String key) {
    record(key);
    return delegate.get(key);
  }

  @Override
  public Future<Map<String, String>> getAll(Collection<String> keys) {
    if (keys != null) {
      keys.forEach(this::record);
    }
    return delegate.getAll(keys);
  }

  @Override
  public Future<Void> put(String key, String value) {
    record(key);
    return delegate.put(key, value);
  }

  @Override
  public Future<Void> put(String key, String value, Duration ttl) {
    record(key);
    return delegate.put(key, value, ttl);
  }

  @Override
  public Future<Boolean> putIfAbsent(String key, String value, Duration ttl) {
    record(key);
    return delegate.putIfAbsent(key, value, ttl);
  }

  @Override
  public Future<Boolean> compareAndSet(String key, String expected, String update) {
    record(key);
    return delegate.compareAndSet(key, expected, update);
  }

  @Override
  public Future<List<Boolean>> compareAndSetEach(List<KvSwap> swaps) {
    swaps.forEach(swap -> record(swap.key()));
    return delegate.compareAndSetEach(swaps);
  }

  @Override
  public Future<Boolean> delete(String key) {
    record(key);
    return delegate.delete(key);
  }

  @Override
  public Future<Void> deleteEach(Collection<String> keys) {
    keys.forEach(this::record);
    return delegate.deleteEach(keys);
  }

  /** Reads only: records nothing. */
  @Override
  public Future<List<String>> keysWithPrefix(String prefix, int limit) {
    return delegate.keysWithPrefix(prefix, limit);
  }

  @Override
  public Future<Integer> indexTrimBelow(String index, long belowScore, int limit) {
    record(index);
    return delegate.indexTrimBelow(index, belowScore, limit);
  }

  @Override
  public Future<Long> increment(String key) {
    record(key);
    return delegate.increment(key);
  }

  @Override
  public Future<Void> indexAdd(String index, String member, long score) {
    record(index);
    return delegate.indexAdd(index, member, score);
  }

  @Override
  public Future<Boolean> indexRemove(String index, String member) {
    record(index);
    return delegate.indexRemove(index, member);
  }

  @Override
  public Future<List<String>> indexRange(String index, int limit, boolean descending) {
    record(index);
    return delegate.indexRange(index, limit, descending);
  }

  @Override
  public Future<List<String>> indexMembersWithPrefix(String index, String prefix, int limit) {
    record(index);
    return delegate.indexMembersWithPrefix(index, prefix, limit);
  }

  @Override
  public Future<Long> allocateAndWrite(String counterKey, List<KvWrite> writes) {
    record(counterKey);
    if (writes != null) {
      writes.forEach(write -> record(write == null ? null : write.key()));
    }
    return delegate.allocateAndWrite(counterKey, writes);
  }
}
