package io.codesous.kv.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Removes the keys a test run or benchmark wrote on a shared Redis: every key matching one
 * pattern (e.g. {@code cs:<tenant>:*} for a tenant of its own), page by page with {@code SCAN}, so
 * that nothing else on the server is touched and the server is never blocked by {@code KEYS}.
 */
public final class RedisKeyCleanup {

  private static final String SCAN_BATCH = "1000";

  private RedisKeyCleanup() {
  }

  /**
   * Deletes every key of {@code tenant} ({@code cs:<tenant>:*}) on the Redis at {@code connectionString}, blocking, with
   * a Vert.x of its own: what a test or benchmark that ran under a tenant of its own calls when it ends.
   *
   * @return how many keys were deleted
   */
  public static long deleteTenant(String connectionString, String tenant) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Redis redis = Redis.createClient(vertx, connectionString);
      try {
        return deleteTenant(RedisAPI.api(redis), tenant).await(60, TimeUnit.SECONDS);
      } finally {
        redis.close();
      }
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  /**
   * Deletes every key of {@code tenant} ({@code cs:<tenant>:*}) through {@code redis}. Tenant names hold no glob
   * characters, so nothing of another tenant matches.
   *
   * @return how many keys were deleted
   */
  public static Future<Long> deleteTenant(RedisAPI redis, String tenant) {
    return deleteMatching(redis, "cs:" + tenant + ":*");
  }

  /** @return how many keys were deleted */
  public static Future<Long> deleteMatching(RedisAPI redis, String pattern) {
    return deletePage(redis, pattern, "0", 0);
  }

  private static Future<Long> deletePage(RedisAPI redis, String pattern, String cursor, long deletedSoFar) {
    return redis.scan(List.of(cursor, "MATCH", pattern, "COUNT", SCAN_BATCH)).compose(page -> {
      String next = page.get(0).toString();
      List<String> keys = new ArrayList<>();
      page.get(1).forEach(key -> keys.add(key.toString()));
      Future<Long> deleted = keys.isEmpty() ? Future.succeededFuture(0L)
          : redis.unlink(keys).map(reply -> reply.toLong());
      return deleted.compose(n -> next.equals("0") ? Future.succeededFuture(deletedSoFar + n)
          : deletePage(redis, pattern, next, deletedSoFar + n));
    });
  }
}
