package io.codesous.kv.redis;

import io.codesous.kv.CallerContext;
import io.codesous.kv.KvException;
import io.codesous.kv.StoreLifecycle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.List;

/**
 * The Redis store's link to its server: the client, its reconnect backoff and loaded scripts,
 * the start/stop lifecycle, and every command's timing for the {@link CommandObserver}.
 *
 * <p>Calls fail with {@link KvException} before {@link #start()} and after {@link #stop()}; a
 * stopped connection cannot be started again. Safe to call from any thread.
 */
final class ServerConnection {

  private static final List<LuaScript> SCRIPTS =
      List.of(LuaScript.COMPARE_AND_SET, LuaScript.ALLOCATE_AND_WRITE, LuaScript.COMPARE_AND_SET_EACH,
          LuaScript.INDEX_TRIM_BELOW);

  private final Vertx vertx;
  private final RedisKvOptions options;
  private final CommandObserver observer;

  private final StoreLifecycle lifecycle = new StoreLifecycle("redis store");
  // Set while STARTED; read without the lock on every call.
  private volatile Connected connected;

  /** The channel and the script runner over it, created together by {@link #start()}. */
  record Connected(CommandChannel channel, ScriptRunner scripts) {}

  ServerConnection(Vertx vertx, RedisKvOptions options, CommandObserver observer) {
    this.vertx = vertx;
    this.options = options;
    this.observer = observer;
  }

  /**
   * Connects, checks the server answers {@code PING}, and loads the scripts; fails with a
   * {@link KvException} when the server cannot be reached in time. A failed start may be retried.
   */
  synchronized Future<Void> start() {
    // every caller waiting for the same start continues on its own context
    return CallerContext.completeOnCaller(lifecycle.start(() -> {
      Connected candidate = connect();
      return candidate.channel().send(Request.cmd(Command.PING), null)
          .compose(pong -> candidate.scripts().load(SCRIPTS))
          .transform(done -> finishStart(candidate, done.cause()));
    }));
  }

  Future<Void> stop() {
    Connected toClose;
    synchronized (this) {
      lifecycle.stop();
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
      if (failure == null && lifecycle.started()) {
        connected = candidate;
        return Future.succeededFuture();
      }
      lifecycle.startFailed();
    }
    candidate.channel().close();
    String reason = failure == null ? "the store was stopped meanwhile" : failure.getMessage();
    return Future.failedFuture(new KvException(
        "cannot start the redis store at " + options.redactedConnectionString() + ": " + reason,
        failure));
  }

  /** The connection, or a {@link KvException} saying why there is none. */
  Future<Connected> whenStarted() {
    Connected current = connected;
    if (current != null) {
      return Future.succeededFuture(current);
    }
    synchronized (this) {
      // read again: a start may have finished since; under this lock a store without a connection is not started
      Connected set = connected;
      return set != null ? Future.succeededFuture(set) : Future.failedFuture(lifecycle.refusal());
    }
  }

  // The client completes a command's future on the context that sent it, as the port promises;
  // closing and a shared start are what need the hop back (see start() and stop()).

  Future<Response> send(Request request, String key) {
    long sent = System.nanoTime();
    return observed(request.command().toString(), sent,
        whenStarted().compose(current -> current.channel().send(request, key)));
  }

  Future<Response> send(Request request, String command, String key) {
    long sent = System.nanoTime();
    return observed(request.command().toString(), sent,
        whenStarted().compose(current -> current.channel().send(request, command, key)));
  }

  Future<Response> runScript(
      LuaScript script, List<String> keys, List<String> args, String subjectKey) {
    long sent = System.nanoTime();
    return observed(script.observedName(), sent,
        whenStarted().compose(current -> current.scripts().run(script, keys, args, subjectKey)));
  }

  private Future<Response> observed(String command, long sentNanos, Future<Response> reply) {
    return reply.andThen(
        ar -> observer.completed(command, System.nanoTime() - sentNanos, ar.succeeded()));
  }
}
