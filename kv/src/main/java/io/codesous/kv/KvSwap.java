package io.codesous.kv;

import java.util.Objects;

/**
 * One conditional write of {@link KvStore#compareAndSetEach}: {@code update} replaces the value of {@code key} only
 * when the current value equals {@code expected} exactly ({@code null}: only when the key is absent), as
 * {@link KvStore#compareAndSet} does for one key.
 */
public record KvSwap(String key, String expected, String update) {

  public KvSwap {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(update, "update");
  }
}
