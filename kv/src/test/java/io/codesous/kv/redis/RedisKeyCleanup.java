package io.codesous.kv.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;

import java.util.ArrayList;
import java.util.List;

/**
 * Removes the keys a test run or benchmark wrote on a shared Redis: every key matching one
 * pattern (e.g. {@code cs:<tenant>:*} for a tenant of its own), page by page with {@code SCAN}, so
 * that nothing else on the server is touched and the server is never blocked by {@code KEYS}.
 */
public final class RedisKeyCleanup {

  private static final String SCAN_BATCH = "1000";

  private RedisKeyCleanup() {
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
