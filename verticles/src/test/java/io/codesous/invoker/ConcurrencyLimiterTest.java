package io.codesous.invoker;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrencyLimiterTest {

  @Test
  void grantsUpToTheLimitThenQueuesInOrder() {
    ConcurrencyLimiter limiter = new ConcurrencyLimiter();
    Future<Void> a = limiter.acquire("v1", 2);
    Future<Void> b = limiter.acquire("v1", 2);
    Future<Void> c = limiter.acquire("v1", 2);
    Future<Void> d = limiter.acquire("v1", 2);
    assertTrue(a.succeeded());
    assertTrue(b.succeeded());
    assertFalse(c.isComplete());
    assertFalse(d.isComplete());
    assertEquals(2, limiter.inUse("v1"));
    assertEquals(2, limiter.waiting("v1"));

    limiter.release("v1");
    assertTrue(c.succeeded());
    assertFalse(d.isComplete(), "first come, first served");
    limiter.release("v1");
    assertTrue(d.succeeded());
    limiter.release("v1");
    limiter.release("v1");
    assertEquals(0, limiter.inUse("v1"));
  }

  @Test
  void versionsAreIndependent() {
    ConcurrencyLimiter limiter = new ConcurrencyLimiter();
    assertTrue(limiter.acquire("v1", 1).succeeded());
    assertTrue(limiter.acquire("v2", 1).succeeded());
    assertFalse(limiter.acquire("v1", 1).isComplete());
  }
}
