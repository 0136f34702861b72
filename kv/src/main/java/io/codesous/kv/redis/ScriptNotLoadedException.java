package io.codesous.kv.redis;

import io.codesous.kv.KvException;

/**
 * The server does not have the script an {@code EVALSHA} asked for (it restarted, or its script
 * cache was flushed). {@link ScriptRunner} answers it by loading the script and asking once more;
 * it reaches callers only when that fails too.
 */
final class ScriptNotLoadedException extends KvException {

  ScriptNotLoadedException(String message) {
    super(message);
  }
}
