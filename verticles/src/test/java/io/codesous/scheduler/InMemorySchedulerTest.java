package io.codesous.scheduler;

import io.codesous.kv.memory.InMemoryKvStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What the scheduler tests on the in-memory KV set up alike: a Vert.x per test, its KV, and a clock they move. */
abstract class InMemorySchedulerTest {

  static final long T = 1_000_000_000L;

  Vertx vertx;
  InMemoryKvStore kv;
  final AtomicLong clock = new AtomicLong(T);

  @BeforeEach
  void startVertxAndKv() throws Exception {
    vertx = Vertx.vertx();
    kv = new InMemoryKvStore(vertx);
    kv.start().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
