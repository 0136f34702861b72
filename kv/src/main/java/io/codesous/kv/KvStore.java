package io.codesous.kv;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The key-value port: every piece of platform state (functions, drafts, versions, bundles,
 * aliases, activations, logs) lives behind it.
 *
 * <p>Keys are opaque strings built in one place (spec's {@code KvKeys}) and always begin with the
 * tenant. Values are UTF-8 strings (JSON documents; binary content is base64-encoded by callers).
 *
 * <p>Every method returns a {@link Future}; none blocks the calling event loop. A failed future
 * carries a {@link KvException} when the store could not answer (unreachable, timed out,
 * rejected the command); callers translate it once, at their edge, into {@code CS_UNAVAILABLE}.
 * A {@link KvConflictException} is returned only where a method says so.
 *
 * <p>What every backend does alike (the contract tests hold each backend to it):
 *
 * <ul>
 *   <li>A future completes on the Vert.x context that made the call (event loop or worker), so
 *       the caller continues where its state lives; a call from outside any context completes
 *       on whatever thread answered.
 *   <li>Every operation fails with {@link KvException} before {@link #start()} and after
 *       {@link #stop()}; a stopped store cannot be started again.
 *   <li>Missing arguments and non-positive ttls are programming errors: they are thrown at once
 *       ({@link NullPointerException} naming the argument, {@link IllegalArgumentException}), and
 *       nothing is written. {@link KvArguments} holds what each operation requires.
 * </ul>
 */
public interface KvStore {

  /** The most members one {@link #indexTrimBelow} removes: Redis removes them in one script, one argument each. */
  int MAX_TRIM = 1_000;

  /** Connects (where there is something to connect to). */
  Future<Void> start();

  /** Releases connections and timers; pending operations fail with {@link KvException}. */
  Future<Void> stop();

  /** Succeeds when the store answers a round trip. */
  Future<Void> ping();

  /** The value, or {@code null} when the key is absent or expired. */
  Future<String> get(String key);

  /** The values of the keys that are present; absent or expired keys are left out of the map. */
  Future<Map<String, String>> getAll(Collection<String> keys);

  /** Sets the value, replacing any earlier one and clearing any expiry. */
  Future<Void> put(String key, String value);

  /** Sets the value with a time to live; {@code ttl} must be positive. */
  Future<Void> put(String key, String value, Duration ttl);

  /**
   * Sets the value only when the key is absent (or expired).
   *
   * @param ttl time to live, or {@code null} for none
   * @return {@code true} when this call wrote the value
   */
  Future<Boolean> putIfAbsent(String key, String value, Duration ttl);

  /**
   * Replaces the value only when the current value equals {@code expected} exactly.
   *
   * @param expected the value the caller last read, or {@code null} to require that the key is absent
   * @return {@code true} when this call wrote {@code update}; an existing expiry is kept
   */
  Future<Boolean> compareAndSet(String key, String expected, String update);

  /**
   * {@link #compareAndSet} for many keys in one call, so that a caller with many documents to swap pays one round
   * trip instead of one per key (a Redis server runs the batch as one script).
   *
   * <p>Each swap is judged on its own, exactly as {@link #compareAndSet} would judge it, in list order: a swap whose
   * expected value does not match is left out and the others are still written, and a later swap of the same key is
   * judged against what an earlier one wrote. The batch is atomic with respect to every other operation of the
   * store: no other call sees some of its writes and not the others, and none changes a key between the batch's
   * comparison and its write. An existing expiry is kept, as in {@link #compareAndSet}. An empty list writes nothing.
   *
   * <p>The future completes on the caller's context, as every other one does. It carries one {@code Boolean} per
   * swap, in the order of {@code swaps}: {@code true} when that swap was written. It fails with {@link KvException}
   * when the store could not answer or refused the batch; a refused batch (a key that holds a sorted index, say)
   * writes nothing. After a failure that leaves the outcome unknown (a timeout, a lost connection) any of the
   * swaps may have been written, as after a failed {@link #compareAndSet}: callers read the keys again before
   * they decide anything else.
   *
   * <p>Keep batches small (tens, a few hundreds): the store may hold every other caller back while one runs.
   *
   * @throws NullPointerException when {@code swaps} or one of its elements is {@code null}
   */
  Future<List<Boolean>> compareAndSetEach(List<KvSwap> swaps);

  /** @return {@code true} when a key was removed. */
  Future<Boolean> delete(String key);

  /** Atomically adds one to a counter (absent counts as 0) and returns the new value. */
  Future<Long> increment(String key);

  /** Adds (or re-scores) a member of a sorted index. */
  Future<Void> indexAdd(String index, String member, long score);

  /** @return {@code true} when the member was present. */
  Future<Boolean> indexRemove(String index, String member);

  /**
   * Removes the members of a sorted index whose score is below {@code belowScore}, lowest first, at most
   * {@code limit} of them (1 to {@link #MAX_TRIM}), and says how many it removed: fewer than {@code limit} means none
   * below is left. An index it empties stops existing. Bounded so that trimming an index that grew for long never
   * holds the store for long: call again while it removes {@code limit}.
   */
  Future<Integer> indexTrimBelow(String index, long belowScore, int limit);

  /**
   * Members of a sorted index ordered by score (ties by member, lexicographically), at most
   * {@code limit} of them, highest score first when {@code descending}.
   */
  Future<List<String>> indexRange(String index, int limit, boolean descending);

  /**
   * Members of an index that start with {@code prefix}, in lexicographic (UTF-8 byte) order, at
   * most {@code limit} of them. Meant for indexes whose members all carry the same score (a set of
   * names): that is what a lexicographic range means to Redis ({@code ZRANGEBYLEX}).
   */
  Future<List<String>> indexMembersWithPrefix(String index, String prefix, int limit);

  /**
   * The names that start with {@code prefix} and hold a live value or a sorted index, in lexicographic (UTF-8 byte)
   * order, at most {@code limit} of them. A walk of the key space, not of an index: for reads made rarely, such as a
   * journal read back at start, never on a request's path (on Redis it is a {@code SCAN} of every key, sorted after).
   */
  Future<List<String>> keysWithPrefix(String prefix, int limit);

  /**
   * {@link #delete} of every key, in one call: a journal removes the entries that ended meanwhile at once, and a
   * backend may make all of them in one task or round trip, as each hop to the store's pool and back costs more than
   * the write itself. Not atomic. This default makes one call per key.
   */
  default Future<Void> deleteEach(Collection<String> keys) {
    KvArguments.getAll(keys);
    List<Future<Boolean>> each = new ArrayList<>(keys.size());
    keys.forEach(key -> each.add(delete(key)));
    return Future.all(each).mapEmpty();
  }

  /**
   * {@link #putIfAbsent} then, only when it wrote the value, {@link #indexAdd}. A backend may make both in one task or
   * round trip: an activation's bookkeeping is a handful of writes, and each hop to the store's pool and back costs
   * more than the write itself. Not atomic: a failure of the index write leaves the value written.
   *
   * @return {@code true} when this call wrote the value (and then added the member)
   */
  default Future<Boolean> putIfAbsentThenIndexAdd(String key, String value, Duration ttl, String index,
                                                  String member, long score) {
    KvArguments.putIfAbsent(key, value, ttl);
    KvArguments.indexMember(index, member);
    return putIfAbsent(key, value, ttl).compose(written -> written
        ? indexAdd(index, member, score).map(true)
        : Future.succeededFuture(false));
  }

  /**
   * Atomically increments {@code counterKey}, substitutes the new number for {@link KvWrite#SEQ}
   * as {@link KvWrite#keyFor} and {@link KvWrite#valueFor} say, and applies all writes — or none.
   *
   * <p>A write with {@code overwrite == false} requires its key to be absent; when one is present
   * the future fails with {@link KvConflictException} and nothing changes, the counter included.
   *
   * @return the allocated number
   */
  Future<Long> allocateAndWrite(String counterKey, List<KvWrite> writes);
}
