package io.codesous.kv.redis;

import io.codesous.kv.KvArguments;
import io.codesous.kv.KvException;
import io.codesous.kv.KvStore;
import io.codesous.kv.KvSwap;
import io.codesous.kv.KvWrite;
import io.codesous.kv.Utf8Order;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The production store: a KVRocks or Redis server, spoken to over the Redis protocol through the
 * pooled vertx-redis-client.
 *
 * <p>{@link #compareAndSet}, {@link #compareAndSetEach} and {@link #allocateAndWrite} are Lua
 * scripts (see the {@code .lua} resources next to this class), loaded by {@link #start()} and run
 * by SHA-1 (loaded again when the server answers {@code NOSCRIPT}). Scripts write keys they derive
 * from arguments, so the server must be one keyspace: standalone Redis or KVRocks,
 * not a Redis Cluster. Every other operation is one native command ({@code PING}, {@code GET},
 * {@code MGET}, {@code SET … NX/PX}, {@code DEL}, {@code INCR}, {@code ZADD}, {@code ZREM},
 * {@code ZRANGE}, {@code ZREVRANGE} or {@code ZRANGEBYLEX}).
 *
 * <p>Every command has a timeout ({@link RedisKvOptions#getCommandTimeoutMs()}); every failure,
 * timeouts included, is a {@link KvException} naming the command. While the server cannot be
 * reached, calls fail fast for a growing backoff period instead of each waiting to connect; the
 * first call after a period tries again, so the store recovers by itself when the server is back.
 *
 * <p>It behaves as the in-memory store does, except:
 *
 * <ul>
 *   <li>A name used both as a plain key and as a sorted index (the key schema never does that):
 *       {@link #getAll} reads it as absent, {@link #put} replaces whatever the name held,
 *       and {@link #putIfAbsent} reports {@code false}; the other operations fail with a
 *       {@link KvException} naming the key, as the in-memory store does. Checking first would take
 *       a script, and KVRocks runs every script under its global lock.
 *   <li>Index scores are doubles on the server: longs beyond 2^53 lose precision. Ties are broken
 *       by the members' bytes, which orders like {@link String#compareTo} for the ASCII names the
 *       key schema uses.
 *   <li>{@link #indexRange} with a non-positive limit answers an empty list without asking the
 *       server.
 *   <li>Counters must be canonical decimal integers, as {@code INCR} reads them: {@code "01"} or
 *       {@code "+1"} are not integers here.
 *   <li>A ttl is sent in whole milliseconds, at least one; a ttl too long for the server to
 *       represent (over {@code Long.MAX_VALUE / 2} ms, some 146 million years) is stored without
 *       expiry.
 * </ul>
 *
 * <p>Calls fail with {@link KvException} before {@link #start()} and after {@link #stop()}; a
 * stopped store cannot be started again. Safe to call from any thread; futures complete on the
 * caller's context.
 */
public final class RedisKvStore implements KvStore {

  static final long LONGEST_TTL_MS = Long.MAX_VALUE / 2;
  /** Keys {@code SCAN} looks at per call of {@link #keysWithPrefix}: a few round trips for a large key space. */
  private static final int SCAN_COUNT = 1_000;

  private final ServerConnection server;

  public RedisKvStore(Vertx vertx, RedisKvOptions options) {
    this(vertx, options, CommandObserver.NONE);
  }

  /** @param observer told of each command's latency */
  public RedisKvStore(Vertx vertx, RedisKvOptions options, CommandObserver observer) {
    this.server = new ServerConnection(Objects.requireNonNull(vertx, "vertx"),
        new RedisKvOptions(Objects.requireNonNull(options, "options")).validate(),
        Objects.requireNonNull(observer, "observer"));
  }

  /**
   * Connects, checks the server answers {@code PING}, and loads the scripts; fails with a
   * {@link KvException} when the server cannot be reached in time. A failed start may be retried.
   */
  @Override
  public Future<Void> start() {
    return server.start();
  }

  @Override
  public Future<Void> stop() {
    return server.stop();
  }

  @Override
  public Future<Void> ping() {
    return server.send(Request.cmd(Command.PING), null).mapEmpty();
  }

  @Override
  public Future<String> get(String key) {
    KvArguments.get(key);
    return server.send(Request.cmd(Command.GET).arg(key), key).map(RedisKvStore::text);
  }

  @Override
  public Future<Map<String, String>> getAll(Collection<String> keys) {
    KvArguments.getAll(keys);
    if (keys.isEmpty()) {
      return server.whenStarted().map(ready -> new LinkedHashMap<>());
    }
    List<String> ordered = new ArrayList<>(keys);
    Request mget = Request.cmd(Command.MGET);
    ordered.forEach(mget::arg);
    return server.send(mget, "MGET (" + ordered.size() + " keys)", null).map(values -> {
      Map<String, String> found = new LinkedHashMap<>();
      for (int i = 0; i < ordered.size(); i++) {
        String value = text(values.get(i));
        if (value != null) {
          found.put(ordered.get(i), value);
        }
      }
      return found;
    });
  }

  @Override
  public Future<Void> put(String key, String value) {
    KvArguments.put(key, value);
    return server.send(Request.cmd(Command.SET).arg(key).arg(value), key).mapEmpty();
  }

  @Override
  public Future<Void> put(String key, String value, Duration ttl) {
    KvArguments.put(key, value, ttl);
    long ttlMs = ttlMs(ttl);
    return server.send(withTtl(Request.cmd(Command.SET).arg(key).arg(value), ttlMs), key)
        .mapEmpty();
  }

  @Override
  public Future<Boolean> putIfAbsent(String key, String value, Duration ttl) {
    KvArguments.putIfAbsent(key, value, ttl);
    long ttlMs = ttl == null ? 0 : ttlMs(ttl);
    Request set = withTtl(Request.cmd(Command.SET).arg(key).arg(value).arg("NX"), ttlMs);
    // SET … NX answers OK when it wrote and nil when the key was present.
    return server.send(set, key).map(Objects::nonNull);
  }

  @Override
  public Future<Boolean> compareAndSet(String key, String expected, String update) {
    KvArguments.compareAndSet(key, update);
    List<String> args =
        List.of(expected == null ? "0" : "1", expected == null ? "" : expected, update);
    return server.runScript(LuaScript.COMPARE_AND_SET, List.of(key), args, key)
        .map(written -> written.toLong() == 1L);
  }

  @Override
  public Future<List<Boolean>> compareAndSetEach(List<KvSwap> swaps) {
    KvArguments.compareAndSetEach(swaps);
    if (swaps.isEmpty()) {
      return server.whenStarted().map(ready -> List.of());
    }
    List<String> keys = new ArrayList<>(swaps.size());
    List<String> args = new ArrayList<>(3 * swaps.size());
    for (KvSwap swap : swaps) {
      keys.add(swap.key());
      args.add(swap.expected() == null ? "0" : "1");
      args.add(swap.expected() == null ? "" : swap.expected());
      args.add(swap.update());
    }
    return server.runScript(LuaScript.COMPARE_AND_SET_EACH, keys, args, keys.get(0)).map(replies -> {
      List<Boolean> written = new ArrayList<>(replies.size());
      replies.forEach(reply -> written.add(reply.toLong() == 1L));
      return written;
    });
  }

  @Override
  public Future<Boolean> delete(String key) {
    KvArguments.key(key);
    return server.send(Request.cmd(Command.DEL).arg(key), key).map(removed -> removed.toLong() > 0);
  }

  @Override
  public Future<Long> increment(String key) {
    KvArguments.key(key);
    return server.send(Request.cmd(Command.INCR).arg(key), key).map(Response::toLong);
  }

  @Override
  public Future<Void> indexAdd(String index, String member, long score) {
    KvArguments.indexMember(index, member);
    return server.send(Request.cmd(Command.ZADD).arg(index).arg(score).arg(member), index)
        .mapEmpty();
  }

  @Override
  public Future<Boolean> indexRemove(String index, String member) {
    KvArguments.indexMember(index, member);
    return server.send(Request.cmd(Command.ZREM).arg(index).arg(member), index)
        .map(removed -> removed.toLong() > 0);
  }

  @Override
  public Future<Integer> indexTrimBelow(String index, long belowScore, int limit) {
    KvArguments.indexTrimBelow(index, limit);
    return server.runScript(LuaScript.INDEX_TRIM_BELOW, List.of(index),
            List.of(Long.toString(belowScore), Integer.toString(limit)), index)
        .map(removed -> removed.toInteger());
  }

  // ZREVRANGE is deprecated in Redis in favour of ZRANGE … REV, which not every KVRocks release
  // accepts; ZREVRANGE is answered by all of them.
  @SuppressWarnings("deprecation")
  @Override
  public Future<List<String>> indexRange(String index, int limit, boolean descending) {
    KvArguments.index(index);
    if (limit <= 0) {
      return server.whenStarted().map(ready -> List.of());
    }
    // Both commands order ties by member; ZREVRANGE reverses that too, as the port asks.
    Request range = Request.cmd(descending ? Command.ZREVRANGE : Command.ZRANGE)
        .arg(index).arg(0).arg(limit - 1L);
    return server.send(range, index).map(members -> {
      List<String> names = new ArrayList<>(members.size());
      members.forEach(member -> names.add(member.toString()));
      return List.copyOf(names);
    });
  }

  @Override
  public Future<List<String>> indexMembersWithPrefix(String index, String prefix, int limit) {
    KvArguments.indexMembersWithPrefix(index, prefix);
    if (limit <= 0) {
      return server.whenStarted().map(ready -> List.of());
    }
    // "[p" includes p itself; "[p\xff..." bounds every member that extends p (0xFF never occurs in UTF-8)
    Request range = Request.cmd(Command.ZRANGEBYLEX).arg(index)
        .arg(lexBound(prefix, new byte[0]))
        .arg(lexBound(prefix, new byte[] {(byte) 0xFF}))
        .arg("LIMIT").arg(0).arg(limit);
    return server.send(range, index).map(members -> {
      List<String> names = new ArrayList<>(members.size());
      members.forEach(member -> names.add(member.toString()));
      return List.copyOf(names);
    });
  }

  /**
   * {@code SCAN} with a {@code MATCH} pattern of the prefix, its glob characters escaped, until the cursor comes back
   * to 0; a key may be reported twice by {@code SCAN}, so the names are gathered in a set, then sorted.
   */
  @Override
  public Future<List<String>> keysWithPrefix(String prefix, int limit) {
    KvArguments.keysWithPrefix(prefix);
    if (limit <= 0) {
      return server.whenStarted().map(ready -> List.of());
    }
    String pattern = prefix.replaceAll("([\\\\*?\\[\\]])", "\\\\$1") + "*";
    return scan("0", pattern, new TreeSet<>(Utf8Order.NAMES))
        .map(names -> names.stream().limit(limit).toList());
  }

  private Future<SortedSet<String>> scan(String cursor, String pattern, SortedSet<String> names) {
    Request page = Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(SCAN_COUNT);
    return server.send(page, "SCAN " + pattern, null).compose(reply -> {
      reply.get(1).forEach(name -> names.add(name.toString()));
      String next = reply.get(0).toString();
      return "0".equals(next) ? Future.succeededFuture(names) : scan(next, pattern, names);
    });
  }

  private static io.vertx.core.buffer.Buffer lexBound(String prefix, byte[] suffix) {
    return io.vertx.core.buffer.Buffer.buffer().appendByte((byte) '[')
        .appendBytes(prefix.getBytes(StandardCharsets.UTF_8)).appendBytes(suffix);
  }

  @Override
  public Future<Long> allocateAndWrite(String counterKey, List<KvWrite> writes) {
    KvArguments.allocateAndWrite(counterKey, writes);
    List<String> args = new ArrayList<>(2 + 4 * writes.size());
    args.add(KvWrite.SEQ);
    args.add(Integer.toString(writes.size()));
    for (KvWrite write : writes) {
      args.add(write.key());
      args.add(write.value());
      args.add(write.overwrite() ? "1" : "0");
      args.add(write.valueTemplate() ? "1" : "0");
    }
    // The number comes back as text: Lua numbers would round it beyond 2^53.
    return server.runScript(LuaScript.ALLOCATE_AND_WRITE, List.of(counterKey), args, counterKey)
        .map(seq -> Long.parseLong(seq.toString()));
  }

  /** A bulk string reply as text; {@code null} for a nil reply. */
  private static String text(Response reply) {
    return reply == null ? null : reply.toString();
  }

  /** Adds {@code PX ttlMs} unless the ttl is 0, meaning none. */
  private static Request withTtl(Request set, long ttlMs) {
    return ttlMs == 0 ? set : set.arg("PX").arg(ttlMs);
  }

  /**
   * The positive ttl in whole milliseconds for {@code PX}: at least one, so a positive ttl never means
   * "already expired"; 0 (no expiry) when it is too long for the server to represent.
   */
  private static long ttlMs(Duration ttl) {
    long ms;
    try {
      ms = Math.max(1, ttl.toMillis());
    } catch (ArithmeticException tooLong) {
      return 0;
    }
    return ms > LONGEST_TTL_MS ? 0 : ms;
  }
}
