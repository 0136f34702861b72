package io.codesous.store;

import io.codesous.kv.KvStore;
import io.codesous.kv.memory.InMemoryKvStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.concurrent.TimeUnit;

/** {@link QueuedCancelContract} on the in-memory KV. */
class QueuedCancelTest extends QueuedCancelContract {

  Vertx vertx;
  InMemoryKvStore kv;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    kv = new InMemoryKvStore(vertx);
    kv.start().await(20, TimeUnit.SECONDS);
    open();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Override
  KvStore kv() {
    return kv;
  }
}
