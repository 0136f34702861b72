package io.codesous.kv;

/** The store could not answer: unreachable, timed out, or refused the command. */
public class KvException extends RuntimeException {

  public KvException(String message) {
    super(message);
  }

  public KvException(String message, Throwable cause) {
    super(message, cause);
  }
}
