package io.codesous.kv.memory;

import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.codesous.kv.KvConflictException;
import io.codesous.kv.KvException;
import io.codesous.kv.KvStore;
import io.codesous.kv.KvStoreContract;
import io.codesous.kv.KvWrite;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InMemoryKvStoreTest implements KvStoreContract {

  // Long enough that the sweep never runs during a test that wants to see lazy expiry alone.
  private static final Duration NO_SWEEP = Duration.ofHours(1);
  private static final Duration FAST_SWEEP = Duration.ofMillis(20);

  private static Vertx vertx;

  private InMemoryKvStore store;
  private final AtomicLong manualClockMs = new AtomicLong(1_000_000);

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    await(vertx.close());
  }

  @BeforeEach
  void startStore() {
    store = new InMemoryKvStore(vertx);
    await(store.start());
  }

  @AfterEach
  void stopStore() {
    await(store.stop());
  }

  @Override
  public KvStore store() {
    return store;
  }

  @Override
  public KvStore newStore() {
    return new InMemoryKvStore(vertx);
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  /** A store whose time moves only when the test says so. */
  private InMemoryKvStore storeOnManualClock(Duration sweepInterval) {
    InMemoryKvStore manual = new InMemoryKvStore(vertx, manualClockMs::get, sweepInterval);
    await(manual.start());
    return manual;
  }

  // --- expiry ---

  @Test
  void sweepRemovesExpiredKeysFromMemory() {
    InMemoryKvStore manual = storeOnManualClock(FAST_SWEEP);
    try {
      await(manual.put("expiring-1", "v", Duration.ofSeconds(10)));
      await(manual.put("expiring-2", "v", Duration.ofSeconds(10)));
      await(manual.put("permanent", "v"));
      await(manual.indexAdd("index", "m", 1));
      assertEquals(4, manual.size());

      manualClockMs.addAndGet(10_000);

      // Nothing reads the expired keys, so only the sweep can have removed them.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (manual.size() != 2) {
        if (System.nanoTime() > deadline) {
          fail("sweep did not remove expired keys; size is " + manual.size());
        }
        sleepBriefly();
      }
      assertEquals("v", await(manual.get("permanent")));
      assertEquals(List.of("m"), await(manual.indexRange("index", 10, false)));
    } finally {
      await(manual.stop());
    }
  }

  @Test
  void expiredKeyIsDroppedFromMemoryWhenRead() {
    InMemoryKvStore manual = storeOnManualClock(NO_SWEEP);
    try {
      await(manual.put("k", "v", Duration.ofMillis(500)));
      manualClockMs.addAndGet(499);
      assertEquals("v", await(manual.get("k")));
      manualClockMs.addAndGet(1);
      assertEquals(1, manual.size());
      assertNull(await(manual.get("k")));
      assertEquals(0, manual.size());
    } finally {
      await(manual.stop());
    }
  }

  @Test
  void expiredButUnsweptKeyIsAbsentToEveryOperation() {
    InMemoryKvStore manual = storeOnManualClock(NO_SWEEP);
    try {
      List<String> keys =
          List.of("get", "getAll", "putIfAbsent", "cas", "delete", "counter", "item:1", "index");
      for (String key : keys) {
        await(manual.put(key, "41", Duration.ofSeconds(1)));
      }
      manualClockMs.addAndGet(1_000);

      assertNull(await(manual.get("get")));
      assertEquals(Map.of(), await(manual.getAll(List.of("getAll"))));
      assertTrue(await(manual.putIfAbsent("putIfAbsent", "new", null)));
      assertTrue(await(manual.compareAndSet("cas", null, "new")));
      assertFalse(await(manual.delete("delete")));
      assertEquals(1L, await(manual.increment("counter")));
      KvWrite createItem = KvWrite.create("item:" + KvWrite.SEQ, "new");
      assertEquals(1L, await(manual.allocateAndWrite("allocations", List.of(createItem))));
      await(manual.indexAdd("index", "m", 1));
      assertEquals(List.of("m"), await(manual.indexRange("index", 10, false)));
    } finally {
      await(manual.stop());
    }
  }

  @Test
  void writesWithoutTtlNeverExpire() {
    InMemoryKvStore manual = storeOnManualClock(NO_SWEEP);
    try {
      await(manual.put("put", "v"));
      await(manual.putIfAbsent("putIfAbsent", "v", null));
      await(manual.compareAndSet("cas", null, "v"));
      await(manual.allocateAndWrite("counter", List.of(KvWrite.create("item", "v"))));
      manualClockMs.addAndGet(Duration.ofDays(3650).toMillis());
      assertEquals(
          Map.of("put", "v", "putIfAbsent", "v", "cas", "v", "item", "v", "counter", "1"),
          await(manual.getAll(List.of("put", "putIfAbsent", "cas", "item", "counter"))));
    } finally {
      await(manual.stop());
    }
  }

  @Test
  void incrementKeepsCounterExpiry() {
    InMemoryKvStore manual = storeOnManualClock(NO_SWEEP);
    try {
      await(manual.put("counter", "1", Duration.ofSeconds(1)));
      assertEquals(2L, await(manual.increment("counter")));
      assertEquals(3L, await(manual.allocateAndWrite("counter", List.of())));
      manualClockMs.addAndGet(1_000);
      assertNull(await(manual.get("counter")));
    } finally {
      await(manual.stop());
    }
  }

  @Test
  void ttlBelowOneMillisecondStillLetsValueBeRead() {
    InMemoryKvStore manual = storeOnManualClock(NO_SWEEP);
    try {
      await(manual.put("k", "v", Duration.ofNanos(1)));
      assertEquals("v", await(manual.get("k")));
      manualClockMs.addAndGet(1);
      assertNull(await(manual.get("k")));
    } finally {
      await(manual.stop());
    }
  }

  @Test
  void hugeTtlMeansNoExpiry() {
    InMemoryKvStore manual = storeOnManualClock(NO_SWEEP);
    try {
      await(manual.put("k", "v", Duration.ofSeconds(Long.MAX_VALUE)));
      manualClockMs.addAndGet(Duration.ofDays(3650).toMillis());
      assertEquals("v", await(manual.get("k")));
    } finally {
      await(manual.stop());
    }
  }

  // --- lifecycle ---

  @Test
  void stopDropsAllData() {
    await(store.put("k", "v"));
    await(store.indexAdd("index", "m", 1));
    await(store.stop());

    assertEquals(0, store.size());
    awaitFailure(store.get("k"), KvException.class);
  }

  // --- plain keys and indexes share one name space ---

  @Test
  void indexOperationsOnPlainKeyFail() {
    await(store.put("plain", "v"));
    assertNamesKey("plain", awaitFailure(store.indexAdd("plain", "m", 1), KvException.class));
    assertNamesKey("plain", awaitFailure(store.indexRemove("plain", "m"), KvException.class));
    assertNamesKey("plain", awaitFailure(store.indexRange("plain", 10, false), KvException.class));
    assertEquals("v", await(store.get("plain")));
  }

  @Test
  void plainKeyOperationsOnIndexFail() {
    await(store.indexAdd("index", "m", 1));
    List<Supplier<Future<?>>> operations =
        List.of(
            () -> store.get("index"),
            () -> store.getAll(List.of("other", "index")),
            () -> store.put("index", "v"),
            () -> store.put("index", "v", Duration.ofSeconds(1)),
            () -> store.putIfAbsent("index", "v", null),
            () -> store.compareAndSet("index", null, "v"),
            () -> store.increment("index"),
            () -> store.allocateAndWrite("index", List.of()));
    for (Supplier<Future<?>> operation : operations) {
      assertNamesKey("index", awaitFailure(operation.get(), KvException.class));
    }
    assertEquals(List.of("m"), await(store.indexRange("index", 10, false)));
  }

  @Test
  void allocateAndWriteOntoIndexFailsAndChangesNothing() {
    await(store.indexAdd("index:1", "m", 1));
    KvException failure =
        awaitFailure(
            store.allocateAndWrite(
                "counter",
                List.of(
                    KvWrite.upsert("before:" + KvWrite.SEQ, "v"),
                    KvWrite.upsert("index:" + KvWrite.SEQ, "v"))),
            KvException.class);
    assertFalse(failure instanceof KvConflictException, "not a conflict: " + failure);
    assertNamesKey("index:1", failure);
    assertNull(await(store.get("counter")));
    assertNull(await(store.get("before:1")));
    assertEquals(List.of("m"), await(store.indexRange("index:1", 10, false)));
  }

  @Test
  void deleteRemovesWholeIndex() {
    await(store.indexAdd("index", "a", 1));
    await(store.indexAdd("index", "b", 2));
    assertTrue(await(store.delete("index")));
    assertEquals(List.of(), await(store.indexRange("index", 10, false)));
    await(store.put("index", "now a value"));
    assertEquals("now a value", await(store.get("index")));
  }

  @Test
  void indexWithoutMembersFreesItsName() {
    await(store.indexAdd("index", "m", 1));
    assertTrue(await(store.indexRemove("index", "m")));
    assertEquals(0, store.size());
    await(store.put("index", "v"));
    assertEquals("v", await(store.get("index")));
  }

  // --- counters and arguments ---

  @Test
  void incrementPastLongMaxFails() {
    await(store.put("counter", Long.toString(Long.MAX_VALUE)));
    awaitFailure(store.increment("counter"), KvException.class);
    awaitFailure(store.allocateAndWrite("counter", List.of()), KvException.class);
    assertEquals(Long.toString(Long.MAX_VALUE), await(store.get("counter")));
  }

  @Test
  void createOnlyWritesAreCheckedAgainstStateBeforeTheCall() {
    long seq =
        await(
            store.allocateAndWrite(
                "counter",
                List.of(KvWrite.create("same", "first"), KvWrite.create("same", "second"))));
    assertEquals(1L, seq);
    assertEquals("second", await(store.get("same")));
  }

  @Test
  void rejectsMissingArguments() {
    assertThrows(NullPointerException.class, () -> store.get(null));
    assertThrows(NullPointerException.class, () -> store.getAll(null));
    assertThrows(NullPointerException.class, () -> store.getAll(Arrays.asList("k", null)));
    assertThrows(NullPointerException.class, () -> store.put(null, "v"));
    assertThrows(NullPointerException.class, () -> store.put("k", null));
    assertThrows(NullPointerException.class, () -> store.put("k", "v", null));
    assertThrows(NullPointerException.class, () -> store.putIfAbsent(null, "v", null));
    assertThrows(NullPointerException.class, () -> store.compareAndSet("k", "v", null));
    assertThrows(NullPointerException.class, () -> store.delete(null));
    assertThrows(NullPointerException.class, () -> store.increment(null));
    assertThrows(NullPointerException.class, () -> store.indexAdd(null, "m", 1));
    assertThrows(NullPointerException.class, () -> store.indexAdd("index", null, 1));
    assertThrows(NullPointerException.class, () -> store.indexRange(null, 1, false));
    assertThrows(NullPointerException.class, () -> store.allocateAndWrite(null, List.of()));
    assertThrows(NullPointerException.class, () -> store.allocateAndWrite("counter", null));
    assertThrows(
        IllegalArgumentException.class, () -> store.putIfAbsent("k", "v", Duration.ofMillis(-5)));
    assertEquals(0, store.size());
  }

  private static void assertNamesKey(String key, KvException failure) {
    String message = failure.getMessage();
    assertTrue(message.contains(key), "message names " + key + ": " + message);
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
