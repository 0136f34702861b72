package io.codesous.kv.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

class RedisKvOptionsTest {

  @Test
  void defaults() {
    RedisKvOptions options = new RedisKvOptions();
    assertEquals("redis://127.0.0.1:6379", options.getConnectionString());
    assertEquals(RedisKvOptions.DEFAULT_MAX_POOL_SIZE, options.getMaxPoolSize());
    assertEquals(RedisKvOptions.DEFAULT_MAX_POOL_WAITING, options.getMaxPoolWaiting());
    assertEquals(2_000, options.getCommandTimeoutMs());
    assertEquals(
        RedisKvOptions.DEFAULT_RECONNECT_BACKOFF_INITIAL_MS, options.getReconnectBackoffInitialMs());
    assertEquals(
        RedisKvOptions.DEFAULT_RECONNECT_BACKOFF_MAX_MS, options.getReconnectBackoffMaxMs());
  }

  @Test
  void jsonRoundTrip() {
    RedisKvOptions options = new RedisKvOptions()
        .setConnectionString("rediss://user:secret@kv.internal:6380/2")
        .setMaxPoolSize(3)
        .setMaxPoolWaiting(0)
        .setCommandTimeoutMs(750)
        .setReconnectBackoffInitialMs(10)
        .setReconnectBackoffMaxMs(10);
    JsonObject json = options.toJson();
    assertEquals(json, new RedisKvOptions(json).toJson());
    assertEquals(3, json.getInteger("maxPoolSize"));
    assertEquals(750L, json.getLong("commandTimeoutMs"));
  }

  @Test
  void jsonLeavesMissingFieldsAtTheirDefaults() {
    RedisKvOptions options = new RedisKvOptions(new JsonObject().put("maxPoolSize", 2));
    assertEquals(2, options.getMaxPoolSize());
    assertEquals(RedisKvOptions.DEFAULT_CONNECTION_STRING, options.getConnectionString());
    assertEquals(RedisKvOptions.DEFAULT_COMMAND_TIMEOUT_MS, options.getCommandTimeoutMs());
  }

  @Test
  void rejectsInvalidValues() {
    RedisKvOptions options = new RedisKvOptions();
    assertThrows(IllegalArgumentException.class, () -> options.setConnectionString("http://x"));
    assertThrows(IllegalArgumentException.class, () -> options.setConnectionString("not a uri"));
    assertThrows(NullPointerException.class, () -> options.setConnectionString(null));
    assertThrows(IllegalArgumentException.class, () -> options.setMaxPoolSize(0));
    assertThrows(IllegalArgumentException.class, () -> options.setMaxPoolWaiting(-1));
    assertThrows(IllegalArgumentException.class, () -> options.setCommandTimeoutMs(0));
    assertThrows(
        IllegalArgumentException.class, () -> options.setCommandTimeoutMs(1L + Integer.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> options.setReconnectBackoffInitialMs(-1));
    assertThrows(IllegalArgumentException.class, () -> options.setReconnectBackoffMaxMs(0));
    // Nothing was changed by the rejected calls.
    assertEquals(new RedisKvOptions().toJson(), options.toJson());
  }

  @Test
  void rejectsBackoffMaximumBelowInitial() {
    RedisKvOptions options =
        new RedisKvOptions().setReconnectBackoffInitialMs(500).setReconnectBackoffMaxMs(100);
    assertThrows(IllegalArgumentException.class, options::validate);
    JsonObject json =
        new JsonObject().put("reconnectBackoffInitialMs", 500).put("reconnectBackoffMaxMs", 100);
    assertThrows(IllegalArgumentException.class, () -> new RedisKvOptions(json));
  }

  @Test
  void rejectsJsonOfTheWrongType() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RedisKvOptions(new JsonObject().put("maxPoolSize", "8")));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RedisKvOptions(new JsonObject().put("commandTimeoutMs", 1.5)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RedisKvOptions(new JsonObject().put("connectionString", 6379)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RedisKvOptions(new JsonObject().put("maxPoolSize", 1L + Integer.MAX_VALUE)));
  }

  @Test
  void toStringHidesCredentials() {
    RedisKvOptions options =
        new RedisKvOptions().setConnectionString("redis://user:secret@kv.internal:6379");
    assertFalse(options.toString().contains("secret"), options.toString());
    assertTrue(options.toString().contains("kv.internal:6379"), options.toString());
    assertEquals("redis://***@kv.internal:6379", options.redactedConnectionString());
  }
}
