package io.codesous.kv.redis;

import io.codesous.kv.KvException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.List;

/**
 * Runs the module's Lua scripts by their SHA-1 ({@code EVALSHA}), so a call does not resend the
 * script's text. A server that lost its script cache (a restart, {@code SCRIPT FLUSH}) answers
 * {@code NOSCRIPT}; the script is then loaded again and the call retried once.
 */
final class ScriptRunner {

  private final CommandChannel channel;

  ScriptRunner(CommandChannel channel) {
    this.channel = channel;
  }

  /** Loads the scripts into the server's cache. */
  Future<Void> load(List<LuaScript> scripts) {
    return Future.all(scripts.stream().map(this::load).toList()).mapEmpty();
  }

  Future<Void> load(LuaScript script) {
    Request load = Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source());
    return channel
        .send(load, "SCRIPT LOAD " + script.name(), null)
        .compose(sha1 -> {
          if (sha1 == null || !script.sha1().equals(sha1.toString())) {
            return Future.failedFuture(new KvException(
                "redis SCRIPT LOAD " + script.name() + " answered " + sha1
                    + ", expected " + script.sha1()));
          }
          return Future.succeededFuture();
        });
  }

  /**
   * @param subjectKey the key that failures are reported against
   */
  Future<Response> run(LuaScript script, List<String> keys, List<String> args, String subjectKey) {
    return evalsha(script, keys, args, subjectKey)
        .recover(failure -> {
          if (failure instanceof ScriptNotLoadedException) {
            return load(script).compose(loaded -> evalsha(script, keys, args, subjectKey));
          }
          return Future.failedFuture(failure);
        });
  }

  private Future<Response> evalsha(
      LuaScript script, List<String> keys, List<String> args, String subjectKey) {
    Request request = Request.cmd(Command.EVALSHA).arg(script.sha1()).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return channel.send(request, "EVALSHA " + script.name(), subjectKey);
  }
}
