package io.codesous.kv.redis;

import io.codesous.kv.KvException;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Sends commands over the pooled client: each with its own timeout, refused at once while the
 * server is in {@link ReconnectBackoff}, every failure translated into a {@link KvException}.
 *
 * <p>Which failures open the backoff: anything that shows the server cannot be reached or does not
 * answer (refused or dropped connections, timeouts). An error reply does not, since the server
 * answered; neither does a full wait queue of the pool, which is this process's overload.
 */
final class CommandChannel {

  private final Redis client;
  private final long timeoutMs;
  private final ReconnectBackoff backoff;

  CommandChannel(Redis client, long timeoutMs, ReconnectBackoff backoff) {
    this.client = client;
    this.timeoutMs = timeoutMs;
    this.backoff = backoff;
  }

  /** Sends a command about {@code key} (or about no key, when {@code null}). */
  Future<Response> send(Request request, String key) {
    return send(request, request.command().toString().toUpperCase(Locale.ROOT), key);
  }

  /**
   * @param command how the command is named in messages, e.g. {@code EVALSHA compare-and-set.lua}
   */
  Future<Response> send(Request request, String command, String key) {
    String refusal = backoff.refusal();
    if (refusal != null) {
      String subject = key == null ? command : command + " " + key;
      return Future.failedFuture(new KvException("redis " + subject + " not sent: " + refusal));
    }
    Future<Response> reply;
    try {
      reply = client.send(request);
    } catch (RuntimeException rejected) {
      reply = Future.failedFuture(rejected);
    }
    return reply
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .transform(done -> {
          if (done.succeeded()) {
            backoff.recordAnswer();
            return Future.succeededFuture(done.result());
          }
          Throwable failure = done.cause();
          if (RedisFailures.isErrorReply(failure)) {
            backoff.recordAnswer();
          } else if (!RedisFailures.isLocalOverload(failure)) {
            backoff.recordFailure(command + ": " + RedisFailures.describe(failure));
          }
          return Future.failedFuture(RedisFailures.translate(failure, command, key, timeoutMs));
        });
  }

  Future<Void> close() {
    return client.close();
  }
}
