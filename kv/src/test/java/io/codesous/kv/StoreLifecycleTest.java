package io.codesous.kv;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreLifecycleTest {

  private final StoreLifecycle lifecycle = new StoreLifecycle("test store");

  @Test
  void startsWhileOneIsRunningShareItsOutcomeAndOpenOnlyOnce() {
    AtomicInteger opens = new AtomicInteger();
    Promise<Void> opened = Promise.promise();
    Future<Void> first = lifecycle.start(() -> {
      opens.incrementAndGet();
      return opened.future();
    });
    Future<Void> second = lifecycle.start(() -> {
      opens.incrementAndGet();
      return Future.succeededFuture();
    });
    assertSame(first, second);
    assertEquals(1, opens.get());
    assertEquals("test store is not started", lifecycle.refusal().getMessage());

    assertTrue(lifecycle.started());
    opened.complete();
    assertNull(lifecycle.refusal());
    assertTrue(lifecycle.start(() -> Future.failedFuture("opened twice")).succeeded(),
        "a started store starts at once, opening nothing");
  }

  @Test
  void aFailedStartMayBeTriedAgain() {
    lifecycle.start(() -> {
      lifecycle.startFailed();
      return Future.failedFuture("unreachable");
    });
    assertEquals(StoreLifecycle.Phase.NEW, lifecycle.phase());
    Future<Void> again = lifecycle.start(() -> {
      lifecycle.started();
      return Future.succeededFuture();
    });
    assertTrue(again.succeeded());
    assertEquals(StoreLifecycle.Phase.STARTED, lifecycle.phase());
  }

  @Test
  void aStopThatOvertakesTheStartLeavesTheStoreStoppedForGood() {
    lifecycle.start(() -> Promise.<Void>promise().future());
    lifecycle.stop();
    assertFalse(lifecycle.started(), "the start that finishes after the stop must close what it opened");
    lifecycle.startFailed();
    assertEquals(StoreLifecycle.Phase.STOPPED, lifecycle.phase());
    Future<Void> restart = lifecycle.start(Future::succeededFuture);
    assertTrue(restart.failed());
    assertEquals("test store is stopped", restart.cause().getMessage());
    assertEquals("test store is stopped", lifecycle.refusal().getMessage());
  }
}
