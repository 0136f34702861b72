package io.codesous.kv.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sweep looks only at keys whose deadline is due, and a deadline a key no longer has removes nothing. */
class KeyspaceSweepTest {

  private final AtomicLong clockMs = new AtomicLong(1_000_000);
  private final Keyspace keyspace = new Keyspace(clockMs::get);

  @Test
  void theSweepRemovesTheKeysThatAreDueAndNoOthers() {
    keyspace.put("soon", "v", Duration.ofSeconds(10));
    keyspace.put("later", "v", Duration.ofSeconds(60));
    keyspace.put("never", "v", null);
    clockMs.addAndGet(10_000);
    assertEquals(1, keyspace.removeExpired());
    assertEquals(2, keyspace.size());
    assertEquals("v", keyspace.get("later"));
  }

  @Test
  void aKeyRewrittenWithALaterExpiryOutlivesItsFirstDeadline() {
    keyspace.put("k", "first", Duration.ofSeconds(10));
    keyspace.put("k", "second", Duration.ofSeconds(60));
    clockMs.addAndGet(10_000);
    assertEquals(0, keyspace.removeExpired());
    assertEquals("second", keyspace.get("k"));
    clockMs.addAndGet(50_000);
    assertEquals(1, keyspace.removeExpired());
    assertEquals(0, keyspace.size());
  }

  @Test
  void aKeyRewrittenWithoutExpiryIsNeverSwept() {
    keyspace.put("k", "first", Duration.ofSeconds(10));
    keyspace.put("k", "kept", null);
    clockMs.addAndGet(3_600_000);
    assertEquals(0, keyspace.removeExpired());
    assertEquals("kept", keyspace.get("k"));
  }

  @Test
  void aKeyDeletedAndWrittenAgainIsSweptAtItsNewDeadlineOnly() {
    keyspace.put("k", "first", Duration.ofSeconds(10));
    keyspace.delete("k");
    clockMs.addAndGet(5_000);
    keyspace.put("k", "again", Duration.ofSeconds(10));
    clockMs.addAndGet(5_000);
    assertEquals(0, keyspace.removeExpired());
    assertEquals("again", keyspace.get("k"));
    clockMs.addAndGet(5_000);
    assertEquals(1, keyspace.removeExpired());
    assertNull(keyspace.get("k"));
  }

  @Test
  void anIncrementKeepsTheKeysDeadline() {
    keyspace.put("counter", "1", Duration.ofSeconds(10));
    keyspace.increment("counter");
    clockMs.addAndGet(10_000);
    assertEquals(1, keyspace.removeExpired());
    assertEquals(0, keyspace.size());
  }
}
