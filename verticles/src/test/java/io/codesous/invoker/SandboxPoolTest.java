package io.codesous.invoker;

import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the sandbox pool answers once the invoker stops: an outage, so the activation is retried, not ended. */
class SandboxPoolTest {

  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void anActivationStillWaitingForAWorkerWhenThePoolClosesIsAnsweredUnavailable() throws Exception {
    SandboxPool pool = new SandboxPool(vertx, 1, 1);
    pool.open();
    CountDownLatch release = new CountDownLatch(1);
    Future<String> running = pool.runFairly("acme", "v1", () -> {
      release.await(10, TimeUnit.SECONDS);
      return "ran";
    });
    // the only worker is busy: this one waits in the fair scheduler for it
    Future<String> waiting = pool.runFairly("acme", "v1", () -> "ran too");
    assertEquals(1, pool.waiting());
    // closing interrupts the running worker; either way it ends, and the waiting one gets its turn
    pool.close();
    release.countDown();
    running.transform(Future::succeededFuture).await(10, TimeUnit.SECONDS);
    Throwable refused = waiting.transform(Future::succeededFuture).await(10, TimeUnit.SECONDS).cause();
    CsException unavailable = assertInstanceOf(CsException.class, refused);
    assertEquals(ErrorCode.CS_UNAVAILABLE, unavailable.code());
    assertTrue(unavailable.getMessage().contains("stopping"), unavailable.getMessage());
  }

  @Test
  void workAskedOfAClosedPoolIsAnsweredUnavailable() throws Exception {
    SandboxPool pool = new SandboxPool(vertx, 1, 1);
    pool.open();
    pool.close();
    Throwable refused = pool.run(() -> "ran").transform(Future::succeededFuture).await(10, TimeUnit.SECONDS).cause();
    assertEquals(ErrorCode.CS_UNAVAILABLE, assertInstanceOf(CsException.class, refused).code());
  }
}
