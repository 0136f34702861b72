package io.codesous.kv.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

  private final AtomicLong clockMs = new AtomicLong(1_000);
  private final ReconnectBackoff backoff = new ReconnectBackoff(100, 1_000, clockMs::get);

  @Test
  void letsCallsThroughUntilAFailure() {
    assertNull(backoff.refusal());
    assertEquals(0, backoff.currentPeriodMs());
  }

  @Test
  void refusesCallsForThePeriodAfterAFailure() {
    backoff.recordFailure("GET: Connection refused");
    String refusal = backoff.refusal();
    assertNotNull(refusal);
    assertTrue(refusal.contains("Connection refused"), refusal);
    clockMs.addAndGet(99);
    assertNotNull(backoff.refusal());
    clockMs.addAndGet(1);
    assertNull(backoff.refusal());
  }

  @Test
  void periodDoublesWithEachFailureUpToTheMaximum() {
    long[] expected = {100, 200, 400, 800, 1_000, 1_000};
    for (long period : expected) {
      backoff.recordFailure("down");
      assertEquals(period, backoff.currentPeriodMs());
    }
  }

  @Test
  void anAnswerResetsThePeriod() {
    backoff.recordFailure("down");
    backoff.recordFailure("down");
    backoff.recordAnswer();
    assertNull(backoff.refusal());
    backoff.recordFailure("down");
    assertEquals(100, backoff.currentPeriodMs());
  }

  @Test
  void hugeMaximumDoesNotOverflow() {
    ReconnectBackoff unbounded = new ReconnectBackoff(1L << 61, Long.MAX_VALUE, clockMs::get);
    for (int i = 0; i < 5; i++) {
      unbounded.recordFailure("down");
    }
    assertEquals(Long.MAX_VALUE, unbounded.currentPeriodMs());
    assertNotNull(unbounded.refusal());
  }
}
