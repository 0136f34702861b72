package io.codesous.kv;

/** A create-only write found its key present; nothing was written. */
public class KvConflictException extends KvException {

  private final String key;

  public KvConflictException(String key) {
    super("key already present: " + key);
    this.key = key;
  }

  /** The key that was present. */
  public String key() {
    return key;
  }
}
