package io.codesous.kv.redis;

import io.codesous.kv.KvConflictException;
import io.codesous.kv.KvException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

import java.util.concurrent.TimeoutException;

/**
 * Turns what the client reports into the port's exceptions. This is the only place that reads
 * server error replies, including the ones the scripts return (codes starting with {@code CS_}).
 */
final class RedisFailures {

  // Error replies of the scripts: "<code> <key>".
  static final String SCRIPT_CONFLICT = "CS_CONFLICT";
  static final String SCRIPT_WRONG_TYPE = "CS_WRONGTYPE";
  static final String SCRIPT_NOT_INTEGER = "CS_NOT_INTEGER";
  static final String SCRIPT_OVERFLOW = "CS_OVERFLOW";

  private RedisFailures() {}

  /** The server answered with an error reply: it is reachable, it refused the command. */
  static boolean isErrorReply(Throwable failure) {
    return failure instanceof Response reply && reply.type() == ResponseType.ERROR;
  }

  /**
   * Too many calls already wait for a pooled connection: this process is overloaded, which says
   * nothing about whether the server is reachable.
   */
  static boolean isLocalOverload(Throwable failure) {
    return failure instanceof ConnectionPoolTooBusyException;
  }

  /**
   * @param command the command as it should appear in messages, e.g. {@code GET} or
   *     {@code EVALSHA compare-and-set.lua}
   * @param key the key the command is about, or {@code null}
   */
  static KvException translate(Throwable failure, String command, String key, long timeoutMs) {
    if (failure instanceof KvException alreadyTranslated) {
      return alreadyTranslated;
    }
    String subject = key == null ? command : command + " " + key;
    if (failure instanceof TimeoutException) {
      return new KvException("redis " + subject + " timed out after " + timeoutMs + " ms", failure);
    }
    if (isErrorReply(failure)) {
      return fromErrorReply(String.valueOf(failure.getMessage()), subject, key);
    }
    return new KvException("redis " + subject + " failed: " + describe(failure), failure);
  }

  /** A short description of a failure to reach the server, for messages. */
  static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null ? failure.getClass().getSimpleName() : message;
  }

  private static KvException fromErrorReply(String reply, String subject, String key) {
    int space = reply.indexOf(' ');
    String code = space < 0 ? reply : reply.substring(0, space);
    String rest = space < 0 ? "" : reply.substring(space + 1);
    switch (code) {
      case SCRIPT_CONFLICT:
        return new KvConflictException(rest);
      case SCRIPT_WRONG_TYPE:
        return new KvException("key holds another type of data, not a value: " + rest);
      case SCRIPT_NOT_INTEGER:
        return new KvException("value is not an integer: " + rest);
      case SCRIPT_OVERFLOW:
        return new KvException("counter would overflow: " + rest);
      case "NOSCRIPT":
        return new ScriptNotLoadedException("redis " + subject + ": " + reply);
      case "WRONGTYPE":
        return new KvException("key holds another type of data (" + subject + "): " + key);
      default:
        break;
    }
    if (reply.startsWith("ERR value is not an integer")) {
      return new KvException("value is not an integer: " + key);
    }
    if (reply.startsWith("ERR increment or decrement would overflow")) {
      return new KvException("counter would overflow: " + key);
    }
    return new KvException("redis " + subject + " refused: " + reply);
  }
}
