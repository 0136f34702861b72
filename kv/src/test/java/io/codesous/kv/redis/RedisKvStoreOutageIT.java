package io.codesous.kv.redis;

import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.codesous.kv.KvException;
import io.codesous.kv.KvWrite;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisKvStore} when the server is missing, silent, or restarts. These tests use servers
 * of their own (a closed port, a socket that never answers, a {@code redis-server} child process),
 * never the shared one.
 */
class RedisKvStoreOutageIT {

  private static final long SHORT_TIMEOUT_MS = 300;
  private static final long TEST_COMMAND_TIMEOUT_MS = 5_000;

  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    await(vertx.close());
  }

  @Test
  void startFailsWhenNothingListens() throws IOException {
    RedisKvStore store = storeFor("redis://127.0.0.1:" + RedisServerProcess.freePort());
    KvException failure = awaitFailure(store.start(), KvException.class);
    assertTrue(failure.getMessage().contains("cannot start"), failure.getMessage());
    // A failed start leaves the store unstarted: calls fail rather than wait.
    awaitFailure(store.get("cs-test:unused"), KvException.class);
    await(store.stop());
  }

  @Test
  void commandsToASilentServerTimeOutNamingTheCommand() throws IOException {
    // The kernel accepts connections on a bound socket's backlog; nothing ever answers them.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      RedisKvStore store = storeFor("redis://127.0.0.1:" + silent.getLocalPort());
      KvException failure = awaitFailure(store.start(), KvException.class);
      assertTrue(failure.getMessage().contains("PING"), failure.getMessage());
      assertTrue(failure.getMessage().contains("timed out"), failure.getMessage());
      await(store.stop());
    }
  }

  @Test
  void survivesAServerRestart() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.startOnFreePort()) {
      RedisKvStore store = new RedisKvStore(vertx, new RedisKvOptions()
          .setConnectionString(server.connectionString())
          // Generous: the test is about failing and recovering, not about how fast.
          .setCommandTimeoutMs(TEST_COMMAND_TIMEOUT_MS)
          .setReconnectBackoffInitialMs(20)
          .setReconnectBackoffMaxMs(200));
      await(store.start());
      try {
        await(store.put("cs-test:restart:k", "before"));
        assertTrue(await(store.compareAndSet("cs-test:restart:k", "before", "swapped")));

        server.stop();
        awaitFailure(store.get("cs-test:restart:k"), KvException.class);
        awaitFailure(store.put("cs-test:restart:k", "lost"), KvException.class);

        server.start();
        awaitAnswering(store);
        // A fresh server: no data, no scripts. Both scripts must be loaded again on first use.
        assertEquals(null, await(store.get("cs-test:restart:k")));
        assertTrue(await(store.compareAndSet("cs-test:restart:k", null, "after")));
        assertEquals("after", await(store.get("cs-test:restart:k")));
        long seq = await(store.allocateAndWrite(
            "cs-test:restart:counter",
            List.of(KvWrite.create("cs-test:restart:item:" + KvWrite.SEQ, "v"))));
        assertEquals(1L, seq);
        assertEquals("v", await(store.get("cs-test:restart:item:1")));
      } finally {
        await(store.stop());
      }
    }
  }

  private static RedisKvStore storeFor(String connectionString) {
    return new RedisKvStore(vertx, new RedisKvOptions()
        .setConnectionString(connectionString)
        .setCommandTimeoutMs(SHORT_TIMEOUT_MS));
  }

  /** Polls until the store reaches the server again; fails after 20 s. */
  private static void awaitAnswering(RedisKvStore store) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        await(store.ping());
        return;
      } catch (AssertionError stillDown) {
        if (System.nanoTime() > deadline) {
          fail("store did not reach the restarted server: " + stillDown.getMessage());
        }
        Thread.sleep(50);
      }
    }
  }
}
