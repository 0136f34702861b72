package io.codesous.kv;

import java.util.Objects;

/**
 * One write of {@link KvStore#allocateAndWrite}: {@code overwrite == false} makes it create-only.
 *
 * <p>{@link #SEQ} in the key is always replaced by the allocated number. In the value it is
 * replaced only when {@code valueTemplate} is set: values usually carry user content (manifests,
 * bundles), which must never be rewritten by the store.
 */
public record KvWrite(String key, String value, boolean overwrite, boolean valueTemplate) {

  /** The token replaced by the number that {@link KvStore#allocateAndWrite} allocates. */
  public static final String SEQ = "{seq}";

  public KvWrite {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  /** A write whose value is taken literally. */
  public KvWrite(String key, String value, boolean overwrite) {
    this(key, value, overwrite, false);
  }

  /** Create-only, literal value. */
  public static KvWrite create(String key, String value) {
    return new KvWrite(key, value, false, false);
  }

  /** Replaces any present value, literal value. */
  public static KvWrite upsert(String key, String value) {
    return new KvWrite(key, value, true, false);
  }

  /** Replaces any present value; {@link #SEQ} in {@code valueTemplate} is substituted. */
  public static KvWrite upsertTemplate(String key, String valueTemplate) {
    return new KvWrite(key, valueTemplate, true, true);
  }

  /** The key with the allocated number substituted. */
  public String keyFor(long seq) {
    return key.replace(SEQ, Long.toString(seq));
  }

  /** The value to store for the allocated number. */
  public String valueFor(long seq) {
    return valueTemplate ? value.replace(SEQ, Long.toString(seq)) : value;
  }
}
