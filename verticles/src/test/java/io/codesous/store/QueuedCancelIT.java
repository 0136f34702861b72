package io.codesous.store;

import io.codesous.kv.KvStore;
import io.codesous.kv.redis.RedisKeyCleanup;
import io.codesous.kv.redis.RedisKvOptions;
import io.codesous.kv.redis.RedisKvStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.concurrent.TimeUnit;

/** {@link QueuedCancelContract} on the shared Redis, under a tenant of this run's own. */
class QueuedCancelIT extends QueuedCancelContract {

  private static final String REDIS = "redis://127.0.0.1:6379";

  Vertx vertx;
  RedisKvStore kv;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    kv = new RedisKvStore(vertx, new RedisKvOptions().setConnectionString(REDIS));
    kv.start().await(20, TimeUnit.SECONDS);
    open();
  }

  /** The tenant is this test's own: its keys go, nothing else on the shared Redis is touched. */
  @AfterEach
  void stop() throws Exception {
    kv.stop().await(20, TimeUnit.SECONDS);
    vertx.close().await(20, TimeUnit.SECONDS);
    RedisKeyCleanup.deleteTenant(REDIS, tenant);
  }

  @Override
  KvStore kv() {
    return kv;
  }
}
