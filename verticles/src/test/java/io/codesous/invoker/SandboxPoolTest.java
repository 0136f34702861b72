package io.codesous.invoker;

import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the sandbox pool answers once the invoker stops (an outage, so the activation is retried, not ended), and
 * where its workers stand in the operating system's scheduler.
 */
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
    SandboxPool pool = new SandboxPool(vertx, 1, 1, 0);
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
  void theWorkersRunBehindTheEventLoopsByTheGuestNiceLevels() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "nice values are read from Linux's /proc");
    int loopNice = niceOfAnEventLoop();
    SandboxPool lowered = new SandboxPool(vertx, 1, 1, 5);
    lowered.open();
    // twice: the second run on the same worker must not lower it again
    assertEquals(Math.min(19, loopNice + 5), lowered.run(SandboxPoolTest::niceOfThisThread).await(10, TimeUnit.SECONDS));
    assertEquals(Math.min(19, loopNice + 5), lowered.run(SandboxPoolTest::niceOfThisThread).await(10, TimeUnit.SECONDS));
    lowered.close();
  }

  @Test
  void aGuestNiceOfZeroLeavesTheWorkersAsTheyWere() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "nice values are read from Linux's /proc");
    int loopNice = niceOfAnEventLoop();
    SandboxPool equal = new SandboxPool(vertx, 1, 1, 0);
    equal.open();
    assertEquals(loopNice, equal.run(SandboxPoolTest::niceOfThisThread).await(10, TimeUnit.SECONDS));
    equal.close();
  }

  private int niceOfAnEventLoop() throws Exception {
    Promise<Integer> read = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> read.complete(niceOfThisThread()));
    return read.future().await(10, TimeUnit.SECONDS);
  }

  /** Field 19 of {@code /proc/thread-self/stat}, after the command name in parentheses (which may hold spaces). */
  private static int niceOfThisThread() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Integer.parseInt(fields[19 - 3]);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void workAskedOfAClosedPoolIsAnsweredUnavailable() throws Exception {
    SandboxPool pool = new SandboxPool(vertx, 1, 1, 0);
    pool.open();
    pool.close();
    Throwable refused = pool.run(() -> "ran").transform(Future::succeededFuture).await(10, TimeUnit.SECONDS).cause();
    assertEquals(ErrorCode.CS_UNAVAILABLE, assertInstanceOf(CsException.class, refused).code());
  }
}
