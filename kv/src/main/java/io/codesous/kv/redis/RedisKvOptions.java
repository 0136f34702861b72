package io.codesous.kv.redis;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link RedisKvStore} reaches its server and how long it waits for it.
 *
 * <p>Every setter validates its value and throws {@link IllegalArgumentException} on a bad one;
 * {@link #validate()} checks what spans two fields. The JSON form uses the setter names
 * ({@code connectionString}, {@code maxPoolSize}, …); fields it leaves out keep their defaults.
 */
public final class RedisKvOptions {

  public static final String DEFAULT_CONNECTION_STRING = "redis://127.0.0.1:6379";
  public static final int DEFAULT_MAX_POOL_SIZE = 8;
  /**
   * Calls that may queue for a pooled connection; beyond this they fail at once. Large enough for
   * bursts of concurrent calls, small enough that a stalled server cannot collect an unbounded
   * backlog.
   */
  public static final int DEFAULT_MAX_POOL_WAITING = 128;
  public static final long DEFAULT_COMMAND_TIMEOUT_MS = 2_000;
  public static final long DEFAULT_RECONNECT_BACKOFF_INITIAL_MS = 100;
  public static final long DEFAULT_RECONNECT_BACKOFF_MAX_MS = 5_000;

  private static final Set<String> SCHEMES = Set.of("redis", "rediss", "unix");

  private String connectionString = DEFAULT_CONNECTION_STRING;
  private int maxPoolSize = DEFAULT_MAX_POOL_SIZE;
  private int maxPoolWaiting = DEFAULT_MAX_POOL_WAITING;
  private long commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS;
  private long reconnectBackoffInitialMs = DEFAULT_RECONNECT_BACKOFF_INITIAL_MS;
  private long reconnectBackoffMaxMs = DEFAULT_RECONNECT_BACKOFF_MAX_MS;

  public RedisKvOptions() {}

  public RedisKvOptions(RedisKvOptions other) {
    this.connectionString = other.connectionString;
    this.maxPoolSize = other.maxPoolSize;
    this.maxPoolWaiting = other.maxPoolWaiting;
    this.commandTimeoutMs = other.commandTimeoutMs;
    this.reconnectBackoffInitialMs = other.reconnectBackoffInitialMs;
    this.reconnectBackoffMaxMs = other.reconnectBackoffMaxMs;
  }

  /** Reads the fields present in {@code json}; the others keep their defaults. */
  public RedisKvOptions(JsonObject json) {
    Objects.requireNonNull(json, "json");
    if (json.containsKey("connectionString")) {
      setConnectionString(string(json, "connectionString"));
    }
    if (json.containsKey("maxPoolSize")) {
      setMaxPoolSize(intNumber(json, "maxPoolSize"));
    }
    if (json.containsKey("maxPoolWaiting")) {
      setMaxPoolWaiting(intNumber(json, "maxPoolWaiting"));
    }
    if (json.containsKey("commandTimeoutMs")) {
      setCommandTimeoutMs(number(json, "commandTimeoutMs"));
    }
    if (json.containsKey("reconnectBackoffInitialMs")) {
      setReconnectBackoffInitialMs(number(json, "reconnectBackoffInitialMs"));
    }
    if (json.containsKey("reconnectBackoffMaxMs")) {
      setReconnectBackoffMaxMs(number(json, "reconnectBackoffMaxMs"));
    }
    validate();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("connectionString", connectionString)
        .put("maxPoolSize", maxPoolSize)
        .put("maxPoolWaiting", maxPoolWaiting)
        .put("commandTimeoutMs", commandTimeoutMs)
        .put("reconnectBackoffInitialMs", reconnectBackoffInitialMs)
        .put("reconnectBackoffMaxMs", reconnectBackoffMaxMs);
  }

  /** Checks the rules that span two fields. */
  public RedisKvOptions validate() {
    if (reconnectBackoffMaxMs < reconnectBackoffInitialMs) {
      throw new IllegalArgumentException(
          "reconnectBackoffMaxMs ("
              + reconnectBackoffMaxMs
              + ") must not be below reconnectBackoffInitialMs ("
              + reconnectBackoffInitialMs
              + ")");
    }
    return this;
  }

  public String getConnectionString() {
    return connectionString;
  }

  /**
   * The server: {@code redis://[user:password@]host[:port][/database]}, {@code rediss://…} for
   * TLS, or {@code unix:///path/to/socket}.
   */
  public RedisKvOptions setConnectionString(String connectionString) {
    Objects.requireNonNull(connectionString, "connectionString");
    URI uri;
    try {
      uri = new URI(connectionString);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("connectionString is not a URI: " + e.getReason());
    }
    if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme())) {
      throw new IllegalArgumentException(
          "connectionString must start with redis://, rediss:// or unix://: "
              + redact(connectionString));
    }
    this.connectionString = connectionString;
    return this;
  }

  public int getMaxPoolSize() {
    return maxPoolSize;
  }

  /** Connections kept open to the server. */
  public RedisKvOptions setMaxPoolSize(int maxPoolSize) {
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1: " + maxPoolSize);
    }
    this.maxPoolSize = maxPoolSize;
    return this;
  }

  public int getMaxPoolWaiting() {
    return maxPoolWaiting;
  }

  /** Calls that may wait for a free connection; always bounded, 0 means none wait. */
  public RedisKvOptions setMaxPoolWaiting(int maxPoolWaiting) {
    if (maxPoolWaiting < 0) {
      throw new IllegalArgumentException("maxPoolWaiting must not be negative: " + maxPoolWaiting);
    }
    this.maxPoolWaiting = maxPoolWaiting;
    return this;
  }

  public long getCommandTimeoutMs() {
    return commandTimeoutMs;
  }

  /**
   * How long one command may take, connecting included; past it the call fails with a
   * {@link io.codesous.kv.KvException} naming the command.
   */
  public RedisKvOptions setCommandTimeoutMs(long commandTimeoutMs) {
    requirePositive("commandTimeoutMs", commandTimeoutMs);
    // The connect timeout is derived from it and Vert.x takes an int.
    if (commandTimeoutMs > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("commandTimeoutMs is too large: " + commandTimeoutMs);
    }
    this.commandTimeoutMs = commandTimeoutMs;
    return this;
  }

  public long getReconnectBackoffInitialMs() {
    return reconnectBackoffInitialMs;
  }

  /** After the first failure to reach the server, calls fail fast for this long. */
  public RedisKvOptions setReconnectBackoffInitialMs(long reconnectBackoffInitialMs) {
    requirePositive("reconnectBackoffInitialMs", reconnectBackoffInitialMs);
    this.reconnectBackoffInitialMs = reconnectBackoffInitialMs;
    return this;
  }

  public long getReconnectBackoffMaxMs() {
    return reconnectBackoffMaxMs;
  }

  /** The fail-fast period doubles with each further failure, up to this. */
  public RedisKvOptions setReconnectBackoffMaxMs(long reconnectBackoffMaxMs) {
    requirePositive("reconnectBackoffMaxMs", reconnectBackoffMaxMs);
    this.reconnectBackoffMaxMs = reconnectBackoffMaxMs;
    return this;
  }

  /** The connection string without its credentials, fit for messages and logs. */
  public String redactedConnectionString() {
    return redact(connectionString);
  }

  @Override
  public String toString() {
    JsonObject shown = toJson();
    shown.put("connectionString", redactedConnectionString());
    return "RedisKvOptions" + shown.encode();
  }

  private static String redact(String connectionString) {
    int schemeEnd = connectionString.indexOf("://");
    int at = connectionString.lastIndexOf('@');
    if (schemeEnd < 0 || at < schemeEnd) {
      return connectionString;
    }
    return connectionString.substring(0, schemeEnd + 3) + "***@" + connectionString.substring(at + 1);
  }

  private static void requirePositive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  private static String string(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException(field + " must be a string: " + value);
    }
    return text;
  }

  private static long number(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new IllegalArgumentException(field + " must be an integer: " + value);
    }
    return ((Number) value).longValue();
  }

  private static int intNumber(JsonObject json, String field) {
    long value = number(json, field);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(field + " is out of range: " + value);
    }
    return (int) value;
  }
}
