package io.codesous.platform;

/** The names a configuration gives the KV and queue backends ({@code kv.backend}, {@code codeq.backend}). */
public final class BackendNames {

  /** The backend that lives inside this JVM, for the KV and the queue alike: nothing to run beside the process. */
  public static final String EMBEDDED = "embedded";
  /**
   * Earlier names of the embedded backends ({@code kv.backend: memory}, {@code codeq.backend: jvm}), still
   * accepted so existing configuration files keep working; they read as {@link #EMBEDDED}.
   */
  public static final String KV_MEMORY_ALIAS = "memory";
  public static final String CODEQ_JVM_ALIAS = "jvm";
  public static final String KV_REDIS = "redis";
  public static final String CODEQ_KAFKA = "kafka";

  private BackendNames() {
  }

  /** {@code backend}, with its earlier name {@code alias} read as {@link #EMBEDDED}. */
  static String canonical(String backend, String alias) {
    return alias.equals(backend) ? EMBEDDED : backend;
  }
}
