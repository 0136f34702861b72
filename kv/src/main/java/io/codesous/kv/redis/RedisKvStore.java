package io.codesous.kv.redis;

import io.codesous.kv.CallerContext;
import io.codesous.kv.KvArguments;
import io.codesous.kv.KvException;
import io.codesous.kv.KvStore;
import io.codesous.kv.KvWrite;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The production store: a KVRocks or Redis server, spoken to over the Redis protocol through the
 * pooled vertx-redis-client.
 *
 * <p>{@link #compareAndSet} and {@link #allocateAndWrite} are Lua scripts (see the {@code .lua}
 * resources next to this class), loaded by {@link #start()} and run by SHA-1. Scripts write keys
 * they derive from arguments, so the server must be one keyspace: standalone Redis or KVRocks,
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

  private static final List<LuaScript> SCRIPTS =
      List.of(LuaScript.COMPARE_AND_SET, LuaScript.ALLOCATE_AND_WRITE);

  private enum State { NEW, STARTING, STARTED, STOPPED }

  private final Vertx vertx;
  private final RedisKvOptions options;
  private final CommandObserver observer;

  private State state = State.NEW;
  private Future<Void> starting;
  // Set while STARTED; read without the lock on every call.
  private volatile Connected connected;

  /** The channel and the script runner over it, created together by {@link #start()}. */
  private record Connected(CommandChannel channel, ScriptRunner scripts) {}

  public RedisKvStore(Vertx vertx, RedisKvOptions options) {
    this(vertx, options, CommandObserver.NONE);
  }

  /** @param observer told of each command's latency */
  public RedisKvStore(Vertx vertx, RedisKvOptions options, CommandObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = new RedisKvOptions(Objects.requireNonNull(options, "options")).validate();
  }

  /**
   * Connects, checks the server answers {@code PING}, and loads the scripts; fails with a
   * {@link KvException} when the server cannot be reached in time. A failed start may be retried.
   */
  @Override
  public synchronized Future<Void> start() {
    switch (state) {
      case STOPPED:
        return Future.failedFuture(new KvException("redis store is stopped"));
      case STARTED:
        return Future.succeededFuture();
      case STARTING:
        // every caller waiting for the same start continues on its own context
        return CallerContext.completeOnCaller(starting);
      default:
        break;
    }
    Connected candidate = connect();
    state = State.STARTING;
    starting = candidate.channel().send(Request.cmd(Command.PING), null)
        .compose(pong -> candidate.scripts().load(SCRIPTS))
        .transform(done -> finishStart(candidate, done.cause()));
    return CallerContext.completeOnCaller(starting);
  }

  @Override
  public Future<Void> stop() {
    Connected toClose;
    synchronized (this) {
      state = State.STOPPED;
      toClose = connected;
      connected = null;
    }
    if (toClose == null) {
      return Future.succeededFuture();
    }
    // the client finishes closing on a thread of its own
    return CallerContext.completeOnCaller(toClose.channel().close()
        .recover(failure -> Future.failedFuture(
            new KvException("closing the redis client failed: " + failure.getMessage(), failure))));
  }

  @Override
  public Future<Void> ping() {
    return send(Request.cmd(Command.PING), null).mapEmpty();
  }

  @Override
  public Future<String> get(String key) {
    KvArguments.get(key);
    return send(Request.cmd(Command.GET).arg(key), key).map(RedisKvStore::text);
  }

  @Override
  public Future<Map<String, String>> getAll(Collection<String> keys) {
    KvArguments.getAll(keys);
    if (keys.isEmpty()) {
      return whenStarted().map(ready -> new LinkedHashMap<>());
    }
    List<String> ordered = new ArrayList<>(keys);
    Request mget = Request.cmd(Command.MGET);
    ordered.forEach(mget::arg);
    return send(mget, "MGET (" + ordered.size() + " keys)", null).map(values -> {
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
    return send(Request.cmd(Command.SET).arg(key).arg(value), key).mapEmpty();
  }

  @Override
  public Future<Void> put(String key, String value, Duration ttl) {
    KvArguments.put(key, value, ttl);
    long ttlMs = ttlMs(ttl);
    return send(withTtl(Request.cmd(Command.SET).arg(key).arg(value), ttlMs), key).mapEmpty();
  }

  @Override
  public Future<Boolean> putIfAbsent(String key, String value, Duration ttl) {
    KvArguments.putIfAbsent(key, value, ttl);
    long ttlMs = ttl == null ? 0 : ttlMs(ttl);
    Request set = withTtl(Request.cmd(Command.SET).arg(key).arg(value).arg("NX"), ttlMs);
    // SET … NX answers OK when it wrote and nil when the key was present.
    return send(set, key).map(Objects::nonNull);
  }

  @Override
  public Future<Boolean> compareAndSet(String key, String expected, String update) {
    KvArguments.compareAndSet(key, update);
    List<String> args =
        List.of(expected == null ? "0" : "1", expected == null ? "" : expected, update);
    return runScript(LuaScript.COMPARE_AND_SET, List.of(key), args, key)
        .map(written -> written.toLong() == 1L);
  }

  @Override
  public Future<Boolean> delete(String key) {
    KvArguments.key(key);
    return send(Request.cmd(Command.DEL).arg(key), key).map(removed -> removed.toLong() > 0);
  }

  @Override
  public Future<Long> increment(String key) {
    KvArguments.key(key);
    return send(Request.cmd(Command.INCR).arg(key), key).map(Response::toLong);
  }

  @Override
  public Future<Void> indexAdd(String index, String member, long score) {
    KvArguments.indexMember(index, member);
    return send(Request.cmd(Command.ZADD).arg(index).arg(score).arg(member), index).mapEmpty();
  }

  @Override
  public Future<Boolean> indexRemove(String index, String member) {
    KvArguments.indexMember(index, member);
    return send(Request.cmd(Command.ZREM).arg(index).arg(member), index)
        .map(removed -> removed.toLong() > 0);
  }

  // ZREVRANGE is deprecated in Redis in favour of ZRANGE … REV, which not every KVRocks release
  // accepts; ZREVRANGE is answered by all of them.
  @SuppressWarnings("deprecation")
  @Override
  public Future<List<String>> indexRange(String index, int limit, boolean descending) {
    KvArguments.index(index);
    if (limit <= 0) {
      return whenStarted().map(ready -> List.of());
    }
    // Both commands order ties by member; ZREVRANGE reverses that too, as the port asks.
    Request range = Request.cmd(descending ? Command.ZREVRANGE : Command.ZRANGE)
        .arg(index).arg(0).arg(limit - 1L);
    return send(range, index).map(members -> {
      List<String> names = new ArrayList<>(members.size());
      members.forEach(member -> names.add(member.toString()));
      return List.copyOf(names);
    });
  }

  @Override
  public Future<List<String>> indexMembersWithPrefix(String index, String prefix, int limit) {
    KvArguments.indexMembersWithPrefix(index, prefix);
    if (limit <= 0) {
      return whenStarted().map(ready -> List.of());
    }
    // "[p" includes p itself; "[p\xff..." bounds every member that extends p (0xFF never occurs in UTF-8)
    Request range = Request.cmd(Command.ZRANGEBYLEX).arg(index)
        .arg(lexBound(prefix, new byte[0]))
        .arg(lexBound(prefix, new byte[] {(byte) 0xFF}))
        .arg("LIMIT").arg(0).arg(limit);
    return send(range, index).map(members -> {
      List<String> names = new ArrayList<>(members.size());
      members.forEach(member -> names.add(member.toString()));
      return List.copyOf(names);
    });
  }

  private static io.vertx.core.buffer.Buffer lexBound(String prefix, byte[] suffix) {
    return io.vertx.core.buffer.Buffer.buffer().appendByte((byte) '[')
        .appendBytes(prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8)).appendBytes(suffix);
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
    return runScript(LuaScript.ALLOCATE_AND_WRITE, List.of(counterKey), args, counterKey)
        .map(seq -> Long.parseLong(seq.toString()));
  }

  private Connected connect() {
    RedisOptions redisOptions = new RedisOptions()
        .setConnectionString(options.getConnectionString())
        .setMaxPoolSize(options.getMaxPoolSize())
        .setMaxPoolWaiting(options.getMaxPoolWaiting())
        // RESP2: every KVRocks release speaks it; RESP3 is optional there.
        .setPreferredProtocolVersion(ProtocolVersion.RESP2);
    // Connecting counts against the command's timeout, so it can never take longer than that.
    redisOptions.getNetClientOptions().setConnectTimeout((int) options.getCommandTimeoutMs());
    ReconnectBackoff backoff = new ReconnectBackoff(
        options.getReconnectBackoffInitialMs(),
        options.getReconnectBackoffMaxMs(),
        System::currentTimeMillis);
    CommandChannel channel = new CommandChannel(
        Redis.createClient(vertx, redisOptions), options.getCommandTimeoutMs(), backoff);
    return new Connected(channel, new ScriptRunner(channel));
  }

  private Future<Void> finishStart(Connected candidate, Throwable failure) {
    synchronized (this) {
      if (failure == null && state == State.STARTING) {
        connected = candidate;
        state = State.STARTED;
        return Future.succeededFuture();
      }
      if (state == State.STARTING) {
        state = State.NEW;
      }
    }
    candidate.channel().close();
    String reason = failure == null ? "the store was stopped meanwhile" : failure.getMessage();
    return Future.failedFuture(new KvException(
        "cannot start the redis store at " + options.redactedConnectionString() + ": " + reason,
        failure));
  }

  private Future<Connected> whenStarted() {
    Connected current = connected;
    if (current != null) {
      return Future.succeededFuture(current);
    }
    synchronized (this) {
      String why = state == State.STOPPED ? "is stopped" : "is not started";
      return Future.failedFuture(new KvException("redis store " + why));
    }
  }

  // The client completes a command's future on the context that sent it, as the port promises;
  // closing and a shared start are what need the hop back (see start() and stop()).

  private Future<Response> send(Request request, String key) {
    long sent = System.nanoTime();
    return observed(request.command().toString(), sent,
        whenStarted().compose(current -> current.channel().send(request, key)));
  }

  private Future<Response> send(Request request, String command, String key) {
    long sent = System.nanoTime();
    return observed(request.command().toString(), sent,
        whenStarted().compose(current -> current.channel().send(request, command, key)));
  }

  private Future<Response> runScript(
      LuaScript script, List<String> keys, List<String> args, String subjectKey) {
    long sent = System.nanoTime();
    return observed(script.observedName(), sent,
        whenStarted().compose(current -> current.scripts().run(script, keys, args, subjectKey)));
  }

  private Future<Response> observed(String command, long sentNanos, Future<Response> reply) {
    return reply.andThen(ar -> observer.completed(command, System.nanoTime() - sentNanos, ar.succeeded()));
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
