package io.codesous.scheduler;

import io.codesous.spec.kv.KvKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis database (1..15) of the shared Redis for one test's deployment-wide keys (the scheduler's lease, the
 * registry of schedules). A database picked by chance was not enough: a run of another test that chose the same one
 * held the scheduler lease there, and the test's own schedulers stood by for its whole length. A claim is a key of
 * its own in the database, set only if absent and expiring on its own if the test dies; a database whose scheduler
 * lease is held, or whose registry lists schedules, is passed over even when unclaimed. Database 14 is never
 * claimed: it is the load gate's (bench {@code GateDatabase}), which refuses to run beside anyone else's schedules.
 */
public final class RedisDatabases {

  static final String CLAIM = "code-sous-test:claimed-by";
  static final long CLAIM_MS = TimeUnit.MINUTES.toMillis(20);

  private RedisDatabases() {
  }

  /** The load gate's database, left to it. */
  static final int GATE_DB = 14;

  /** Claims a free database for {@code owner} and answers its number; {@link #release} gives it back. */
  public static int claim(Vertx vertx, String host, int port, String owner) throws Exception {
    List<Integer> dbs = new ArrayList<>();
    for (int db = 1; db <= 15; db++) {
      if (db != GATE_DB) {
        dbs.add(db);
      }
    }
    Collections.shuffle(dbs);
    for (int db : dbs) {
      Redis client = Redis.createClient(vertx, uri(host, port, db));
      try {
        RedisAPI redis = RedisAPI.api(client);
        Response set = redis.set(List.of(CLAIM, owner, "NX", "PX", Long.toString(CLAIM_MS)))
            .await(10, TimeUnit.SECONDS);
        if (set == null) {
          continue;
        }
        if (inUse(redis)) {
          redis.del(List.of(CLAIM)).await(10, TimeUnit.SECONDS);
          continue;
        }
        return db;
      } finally {
        client.close();
      }
    }
    throw new IllegalStateException("no Redis database of 1..15 (but the gate's " + GATE_DB + ") is free at " + host + ":" + port);
  }

  public static void release(Vertx vertx, String host, int port, int db) throws Exception {
    Redis client = Redis.createClient(vertx, uri(host, port, db));
    try {
      RedisAPI.api(client).del(List.of(CLAIM)).await(10, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  public static String uri(String host, int port, int db) {
    return "redis://" + host + ":" + port + "/" + db;
  }

  private static boolean inUse(RedisAPI redis) throws Exception {
    Response lease = redis.get(KvKeys.schedulerLease()).await(10, TimeUnit.SECONDS);
    if (lease != null && new JsonObject(lease.toString()).getLong("expires_at_ms", 0L) > System.currentTimeMillis()) {
      return true;
    }
    Response schedules = redis.zcard(KvKeys.scheduleRegistry()).await(10, TimeUnit.SECONDS);
    return schedules != null && schedules.toLong() > 0;
  }
}
