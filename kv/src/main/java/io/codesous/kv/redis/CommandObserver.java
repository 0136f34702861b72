package io.codesous.kv.redis;

/**
 * Told of every command the Redis store sent once its reply (or failure) arrived, on the context that sent it: how
 * an operator sees the store's latency without the store knowing of any metrics library.
 */
@FunctionalInterface
public interface CommandObserver {

  CommandObserver NONE = (command, nanos, succeeded) -> { };

  /**
   * @param command the Redis command ({@code GET}, {@code SET}, ...) or, for a script, {@code script:<name>}
   * @param nanos   from sending to the reply
   */
  void completed(String command, long nanos, boolean succeeded);
}
