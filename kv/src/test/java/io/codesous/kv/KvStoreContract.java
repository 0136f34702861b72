package io.codesous.kv;

import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.codesous.testsupport.CallerContexts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What every {@link KvStore} backend must do. A backend's test class implements this interface and
 * supplies a started store.
 *
 * <p>Each test writes only keys under its own random prefix (see {@link TestKeys}), so the suite
 * can share a real server with other runs. Results are awaited with a blocking wait, so it does not
 * matter which thread completes a backend's futures. Expiry is observed by polling with a bounded
 * wait; no test asserts how long anything took.
 */
public interface KvStoreContract {

  /** Every key the suite writes starts with this, so a shared server can be cleaned by prefix. */
  String TEST_KEY_PREFIX = "cs-test:";

  /** Short enough to wait out; used where the test only needs the key to expire. */
  Duration SHORT_TTL = Duration.ofMillis(300);

  /** Long enough that a key outlives a couple of round trips on a loaded machine. */
  Duration SURVIVABLE_TTL = Duration.ofSeconds(1);

  /** Longer than any test runs. */
  Duration LONG_TTL = Duration.ofHours(1);

  int CONCURRENT_CALLS = 50;

  /** A key name with the allocated number in it. */
  String ITEM_SEQ = "item:" + KvWrite.SEQ;

  /** A started store, possibly shared by all tests of the class. */
  KvStore store();

  /** A new, unstarted store of the same backend; the test that asks for it starts and stops it. */
  KvStore newStore();

  /** The Vert.x the stores run on: the contract calls them from its contexts. */
  Vertx vertx();

  // --- what every backend does alike: lifecycle, arguments, the caller's context ---

  @Test
  default void everyOperationFailsBeforeStart() {
    KvStore unstarted = newStore();
    try {
      everyOperation(unstarted, TestKeys.unique()).forEach((name, operation) ->
          assertInstanceOf(KvException.class, awaitFailure(operation.get()), name));
    } finally {
      await(unstarted.stop());
    }
  }

  @Test
  default void everyOperationFailsAfterStopAndStartIsFinal() {
    KvStore stopped = newStore();
    await(stopped.start());
    assertNull(await(stopped.ping()));
    await(stopped.stop());

    everyOperation(stopped, TestKeys.unique()).forEach((name, operation) ->
        assertInstanceOf(KvException.class, awaitFailure(operation.get()), name));
    awaitFailure(stopped.start(), KvException.class);
    awaitFailure(stopped.ping(), KvException.class);
  }

  @Test
  default void missingArgumentsAreThrownAtOnceNamedAndWriteNothing() {
    TestKeys keys = TestKeys.unique();
    String key = keys.of("k");
    String counter = keys.of("counter");
    KvStore store = store();
    assertEquals("key", assertThrows(NullPointerException.class, () -> store.get(null)).getMessage());
    assertEquals("value",
        assertThrows(NullPointerException.class, () -> store.put(key, null)).getMessage());
    assertEquals("ttl",
        assertThrows(NullPointerException.class, () -> store.put(key, "v", null)).getMessage());
    assertEquals("update", assertThrows(NullPointerException.class,
        () -> store.compareAndSet(key, "v", null)).getMessage());
    assertEquals("member", assertThrows(NullPointerException.class,
        () -> store.indexAdd(key, null, 1)).getMessage());
    assertEquals("index", assertThrows(NullPointerException.class,
        () -> store.indexRange(null, 1, false)).getMessage());
    List<Executable> refused = List.of(
        () -> store.getAll(null),
        () -> store.getAll(Arrays.asList(key, null)),
        () -> store.put(null, "v"),
        () -> store.putIfAbsent(key, null, null),
        () -> store.delete(null),
        () -> store.increment(null),
        () -> store.indexRemove(key, null),
        () -> store.indexMembersWithPrefix(key, null, 1),
        () -> store.allocateAndWrite(null, List.of()),
        () -> store.allocateAndWrite(counter, null),
        () -> store.allocateAndWrite(counter, Arrays.asList(KvWrite.create(key, "v"), null)),
        () -> store.compareAndSetEach(null),
        () -> store.deleteEach(null),
        () -> store.deleteEach(Arrays.asList(key, null)),
        () -> store.keysWithPrefix(null, 1),
        () -> store.indexTrimBelow(null, 1, 1),
        () -> store.compareAndSetEach(Arrays.asList(new KvSwap(key, null, "v"), null)),
        () -> new KvSwap(null, "v", "w"),
        () -> new KvSwap(key, "v", null));
    for (Executable call : refused) {
      assertThrows(NullPointerException.class, call);
    }
    assertEquals(Map.of(), await(store.getAll(List.of(key, counter))));
  }

  @Test
  default void futuresCompleteOnTheCallingEventLoopContext() {
    assertFuturesCompleteOn(CallerContexts.eventLoop(vertx()));
  }

  @Test
  default void futuresCompleteOnTheCallingWorkerContext() {
    assertFuturesCompleteOn(CallerContexts.worker(vertx()));
  }

  /**
   * Every operation once, by name, on fresh keys: each succeeds on a started store (a ping
   * included), none writes anything a test relies on.
   */
  private static Map<String, Supplier<Future<?>>> everyOperation(KvStore store, TestKeys keys) {
    String key = keys.of("k");
    String index = keys.of("index");
    Map<String, Supplier<Future<?>>> operations = new LinkedHashMap<>();
    operations.put("ping", store::ping);
    operations.put("get", () -> store.get(key));
    operations.put("getAll", () -> store.getAll(List.of(key)));
    operations.put("put", () -> store.put(key, "v"));
    operations.put("put with ttl", () -> store.put(key, "v", LONG_TTL));
    operations.put("putIfAbsent", () -> store.putIfAbsent(keys.of("other"), "v", null));
    operations.put("compareAndSet", () -> store.compareAndSet(key, "v", "w"));
    operations.put("compareAndSetEach", () -> store.compareAndSetEach(List.of(new KvSwap(key, "v", "w"))));
    operations.put("delete", () -> store.delete(key));
    operations.put("increment", () -> store.increment(keys.of("counter")));
    operations.put("indexAdd", () -> store.indexAdd(index, "m", 1));
    operations.put("indexRemove", () -> store.indexRemove(index, "m"));
    operations.put("indexRange", () -> store.indexRange(index, 10, false));
    operations.put("putIfAbsentThenIndexAdd",
        () -> store.putIfAbsentThenIndexAdd(keys.of("claimed"), "v", LONG_TTL, index, "m3", 3));
    operations.put("deleteEach", () -> store.deleteEach(List.of(keys.of("claimed"), keys.of("other"))));
    operations.put("keysWithPrefix", () -> store.keysWithPrefix(keys.of(""), 10));
    operations.put("indexTrimBelow", () -> store.indexTrimBelow(index, 2, 10));
    operations.put("indexMembersWithPrefix", () -> store.indexMembersWithPrefix(index, "m", 10));
    operations.put("allocateAndWrite",
        () -> store.allocateAndWrite(keys.of("counter"), List.of(KvWrite.upsert(keys.of(ITEM_SEQ), "v"))));
    return operations;
  }

  /**
   * Calls every operation from {@code caller} and notes where each completion ran: successes,
   * refusals (a conflict, a non-numeric counter) and failures of a stopped store alike.
   */
  private void assertFuturesCompleteOn(Context caller) {
    TestKeys keys = TestKeys.unique();
    List<String> misplaced = new ArrayList<>();
    KvStore fresh = newStore();
    try {
      expect(true, "start", CallerContexts.callFrom(caller, fresh::start), misplaced);
      expect(true, "ping", CallerContexts.callFrom(caller, fresh::ping), misplaced);
      everyOperation(store(), keys).forEach((name, operation) ->
          expect(true, name, CallerContexts.callFrom(caller, operation::get), misplaced));
      await(store().put(keys.of("text"), "not a number"));
      expect(false, "increment of text",
          CallerContexts.callFrom(caller, () -> store().increment(keys.of("text"))), misplaced);
      expect(false, "allocateAndWrite conflict", CallerContexts.callFrom(caller,
          () -> store().allocateAndWrite(keys.of("n"), List.of(KvWrite.create(keys.of("text"), "v")))),
          misplaced);
      expect(true, "stop", CallerContexts.callFrom(caller, fresh::stop), misplaced);
      expect(false, "get after stop",
          CallerContexts.callFrom(caller, () -> fresh.get(keys.of("k"))), misplaced);
    } finally {
      await(fresh.stop());
    }
    assertTrue(misplaced.isEmpty(), () -> String.join("\n", misplaced));
  }

  private static void expect(boolean success, String operation,
      CallerContexts.Completion<?> completion, List<String> misplaced) {
    assertEquals(success, completion.outcome().succeeded(), () -> operation + " " + completion);
    if (!completion.onCallersContext()) {
      misplaced.add(operation + " " + completion);
    }
  }

  // --- ping, get, getAll ---

  @Test
  default void pingSucceedsWhileStartedAndFailsOnceStopped() {
    Future<Void> ping = store().ping();
    assertNull(await(ping));
    assertTrue(ping.succeeded());
    // the same call on a stopped store must fail: ping reports the store's state, it is not a constant
    KvStore other = newStore();
    await(other.start());
    assertNull(await(other.ping()));
    await(other.stop());
    awaitFailure(other.ping(), KvException.class);
  }

  @Test
  default void getOfAbsentKeyIsNull() {
    TestKeys keys = TestKeys.unique();
    assertNull(await(store().get(keys.of("missing"))));
  }

  @Test
  default void getReturnsWhatPutStored() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("greeting"), "{\"text\":\"héllo ✓\"}"));
    assertEquals("{\"text\":\"héllo ✓\"}", await(store().get(keys.of("greeting"))));
  }

  @Test
  default void putReplacesEarlierValue() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "first"));
    await(store().put(keys.of("k"), "second"));
    assertEquals("second", await(store().get(keys.of("k"))));
  }

  @Test
  default void getAllReturnsPresentKeysAndOmitsAbsentOnes() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("a"), "1"));
    await(store().put(keys.of("b"), "2"));
    Map<String, String> found =
        await(store().getAll(List.of(keys.of("a"), keys.of("missing"), keys.of("b"))));
    assertEquals(Map.of(keys.of("a"), "1", keys.of("b"), "2"), found);
  }

  @Test
  default void getAllOfNoKeysIsEmpty() {
    assertEquals(Map.of(), await(store().getAll(List.of())));
  }

  @Test
  default void getAllOmitsExpiredKeys() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("kept"), "1"));
    await(store().put(keys.of("expiring"), "2", SHORT_TTL));
    waitOutShortTtl(keys);
    Map<String, String> found =
        await(store().getAll(List.of(keys.of("kept"), keys.of("expiring"))));
    assertEquals(Map.of(keys.of("kept"), "1"), found);
  }

  // --- put with ttl ---

  @Test
  default void putWithTtlStoresValue() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "v", LONG_TTL));
    assertEquals("v", await(store().get(keys.of("k"))));
  }

  @Test
  default void putWithTtlExpires() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "v", SHORT_TTL));
    awaitAbsent(keys.of("k"));
  }

  @Test
  default void putWithoutTtlClearsEarlierExpiry() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "old", SHORT_TTL));
    await(store().put(keys.of("k"), "new"));
    waitOutShortTtl(keys);
    assertEquals("new", await(store().get(keys.of("k"))));
  }

  @Test
  default void putWithTtlReplacesEarlierExpiry() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "old", SHORT_TTL));
    await(store().put(keys.of("k"), "new", LONG_TTL));
    waitOutShortTtl(keys);
    assertEquals("new", await(store().get(keys.of("k"))));
  }

  @Test
  default void putRejectsNonPositiveTtl() {
    TestKeys keys = TestKeys.unique();
    String key = keys.of("k");
    assertThrows(IllegalArgumentException.class, () -> store().put(key, "v", Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class, () -> store().put(key, "v", Duration.ofMillis(-1)));
    assertNull(await(store().get(keys.of("k"))));
  }

  // --- putIfAbsent ---

  @Test
  default void putIfAbsentWritesAbsentKey() {
    TestKeys keys = TestKeys.unique();
    assertTrue(await(store().putIfAbsent(keys.of("k"), "v", null)));
    assertEquals("v", await(store().get(keys.of("k"))));
  }

  @Test
  default void putIfAbsentLeavesPresentKeyAlone() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "original"));
    assertFalse(await(store().putIfAbsent(keys.of("k"), "other", null)));
    assertEquals("original", await(store().get(keys.of("k"))));
  }

  @Test
  default void putIfAbsentTreatsExpiredKeyAsAbsent() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "old", SHORT_TTL));
    waitOutShortTtl(keys);
    assertTrue(await(store().putIfAbsent(keys.of("k"), "new", null)));
    assertEquals("new", await(store().get(keys.of("k"))));
  }

  @Test
  default void putIfAbsentWithTtlExpires() {
    TestKeys keys = TestKeys.unique();
    assertTrue(await(store().putIfAbsent(keys.of("k"), "v", SHORT_TTL)));
    awaitAbsent(keys.of("k"));
  }

  @Test
  default void putIfAbsentRejectsNonPositiveTtl() {
    TestKeys keys = TestKeys.unique();
    String key = keys.of("k");
    assertThrows(
        IllegalArgumentException.class, () -> store().putIfAbsent(key, "v", Duration.ZERO));
    assertNull(await(store().get(keys.of("k"))));
  }

  // --- compareAndSet ---

  @Test
  default void compareAndSetReplacesMatchingValue() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "v1"));
    assertTrue(await(store().compareAndSet(keys.of("k"), "v1", "v2")));
    assertEquals("v2", await(store().get(keys.of("k"))));
  }

  @Test
  default void compareAndSetLeavesMismatchingValueAlone() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "v1"));
    assertFalse(await(store().compareAndSet(keys.of("k"), "stale", "v2")));
    assertEquals("v1", await(store().get(keys.of("k"))));
  }

  @Test
  default void compareAndSetOfAbsentKeyWithExpectedValueFails() {
    TestKeys keys = TestKeys.unique();
    assertFalse(await(store().compareAndSet(keys.of("k"), "v1", "v2")));
    assertNull(await(store().get(keys.of("k"))));
  }

  @Test
  default void compareAndSetOfExpiredKeyWithExpectedValueFails() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "v1", SHORT_TTL));
    waitOutShortTtl(keys);
    assertFalse(await(store().compareAndSet(keys.of("k"), "v1", "v2")));
    assertNull(await(store().get(keys.of("k"))));
  }

  @Test
  default void compareAndSetExpectingNullCreatesAbsentKey() {
    TestKeys keys = TestKeys.unique();
    assertTrue(await(store().compareAndSet(keys.of("k"), null, "created")));
    assertEquals("created", await(store().get(keys.of("k"))));
  }

  @Test
  default void compareAndSetExpectingNullFailsWhenKeyIsPresent() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "existing"));
    assertFalse(await(store().compareAndSet(keys.of("k"), null, "created")));
    assertEquals("existing", await(store().get(keys.of("k"))));
  }

  @Test
  default void compareAndSetExpectingNullTreatsExpiredKeyAsAbsent() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "old", SHORT_TTL));
    waitOutShortTtl(keys);
    assertTrue(await(store().compareAndSet(keys.of("k"), null, "created")));
    assertEquals("created", await(store().get(keys.of("k"))));
  }

  @Test
  default void compareAndSetKeepsExistingExpiry() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "v1", SURVIVABLE_TTL));
    assertTrue(await(store().compareAndSet(keys.of("k"), "v1", "v2")));
    // Had the swap dropped the expiry, the key would stay and this would give up.
    awaitAbsent(keys.of("k"));
  }

  // --- compareAndSetEach ---

  @Test
  default void compareAndSetEachWritesEverySwapWhoseExpectedValueMatchesAndNoOther() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("a"), "a1"));
    await(store().put(keys.of("b"), "b1"));
    List<Boolean> written = await(store().compareAndSetEach(List.of(
        new KvSwap(keys.of("a"), "a1", "a2"),
        new KvSwap(keys.of("b"), "stale", "b2"),
        new KvSwap(keys.of("c"), null, "created"),
        new KvSwap(keys.of("d"), "expected", "d2"))));
    assertEquals(List.of(true, false, true, false), written);
    assertEquals(Map.of(keys.of("a"), "a2", keys.of("b"), "b1", keys.of("c"), "created"),
        await(store().getAll(List.of(keys.of("a"), keys.of("b"), keys.of("c"), keys.of("d")))));
  }

  @Test
  default void compareAndSetEachJudgesALaterSwapOfAKeyAgainstWhatAnEarlierOneWrote() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "v1"));
    List<Boolean> written = await(store().compareAndSetEach(List.of(
        new KvSwap(keys.of("k"), "v1", "v2"),
        new KvSwap(keys.of("k"), "v2", "v3"),
        new KvSwap(keys.of("k"), "v1", "v4"),
        new KvSwap(keys.of("new"), null, "n1"),
        new KvSwap(keys.of("new"), null, "n2"))));
    assertEquals(List.of(true, true, false, true, false), written);
    assertEquals("v3", await(store().get(keys.of("k"))));
    assertEquals("n1", await(store().get(keys.of("new"))));
  }

  @Test
  default void compareAndSetEachTreatsAnExpiredKeyAsAbsent() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("gone"), "old", SHORT_TTL));
    await(store().put(keys.of("also-gone"), "old", SHORT_TTL));
    waitOutShortTtl(keys);
    assertEquals(List.of(false, true), await(store().compareAndSetEach(List.of(
        new KvSwap(keys.of("gone"), "old", "new"), new KvSwap(keys.of("also-gone"), null, "created")))));
    assertNull(await(store().get(keys.of("gone"))));
    assertEquals("created", await(store().get(keys.of("also-gone"))));
  }

  @Test
  default void compareAndSetEachKeepsExistingExpiry() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "v1", SURVIVABLE_TTL));
    assertEquals(List.of(true), await(store().compareAndSetEach(List.of(new KvSwap(keys.of("k"), "v1", "v2")))));
    // Had the swap dropped the expiry, the key would stay and this would give up.
    awaitAbsent(keys.of("k"));
  }

  @Test
  default void compareAndSetEachOfNoSwapsAnswersAnEmptyList() {
    assertEquals(List.of(), await(store().compareAndSetEach(List.of())));
  }

  @Test
  default void compareAndSetEachThatMeetsASortedIndexFailsAndWritesNothing() {
    TestKeys keys = TestKeys.unique();
    await(store().indexAdd(keys.of("index"), "m", 1));
    await(store().put(keys.of("k"), "v1"));
    KvException failure = awaitFailure(store().compareAndSetEach(List.of(
        new KvSwap(keys.of("k"), "v1", "v2"),
        new KvSwap(keys.of("index"), null, "value"))), KvException.class);
    assertTrue(failure.getMessage().contains(keys.of("index")), failure.getMessage());
    assertEquals("v1", await(store().get(keys.of("k"))));
    assertEquals(List.of("m"), await(store().indexRange(keys.of("index"), 10, false)));
  }

  @Test
  default void concurrentBatchesOverTheSameKeysWriteEachKeyOnce() throws Exception {
    TestKeys keys = TestKeys.unique();
    KvStore store = store();
    for (int i = 0; i < 20; i++) {
      await(store.put(keys.of("k" + i), "free"));
    }
    List<List<Boolean>> results = callConcurrently(CONCURRENT_CALLS, call -> {
      List<KvSwap> swaps = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        swaps.add(new KvSwap(keys.of("k" + i), "free", "taken by " + call));
      }
      return store.compareAndSetEach(swaps);
    });
    for (int i = 0; i < 20; i++) {
      int key = i;
      List<Integer> winners = new ArrayList<>();
      for (int call = 0; call < results.size(); call++) {
        if (results.get(call).get(key)) {
          winners.add(call);
        }
      }
      assertEquals(1, winners.size(), "calls that wrote k" + key + ": " + winners);
      assertEquals("taken by " + winners.get(0), await(store.get(keys.of("k" + key))));
    }
  }

  // --- delete ---

  @Test
  default void deleteRemovesPresentKey() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "v"));
    assertTrue(await(store().delete(keys.of("k"))));
    assertNull(await(store().get(keys.of("k"))));
  }

  @Test
  default void deleteOfAbsentKeyReturnsFalse() {
    TestKeys keys = TestKeys.unique();
    assertFalse(await(store().delete(keys.of("missing"))));
  }

  @Test
  default void deleteOfDeletedKeyReturnsFalse() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "v"));
    assertTrue(await(store().delete(keys.of("k"))));
    assertFalse(await(store().delete(keys.of("k"))));
  }

  // --- increment ---

  @Test
  default void incrementCountsFromOneForAbsentKey() {
    TestKeys keys = TestKeys.unique();
    assertEquals(1L, await(store().increment(keys.of("counter"))));
    assertEquals(2L, await(store().increment(keys.of("counter"))));
    assertEquals("2", await(store().get(keys.of("counter"))));
  }

  @Test
  default void incrementContinuesFromStoredNumber() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("counter"), "41"));
    assertEquals(42L, await(store().increment(keys.of("counter"))));
  }

  @Test
  default void incrementTreatsExpiredCounterAsAbsent() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("counter"), "41", SHORT_TTL));
    waitOutShortTtl(keys);
    assertEquals(1L, await(store().increment(keys.of("counter"))));
  }

  @Test
  default void incrementOfNonNumericValueFails() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("k"), "not a number"));
    awaitFailure(store().increment(keys.of("k")), KvException.class);
    assertEquals("not a number", await(store().get(keys.of("k"))));
  }

  @Test
  default void concurrentIncrementsAddUpExactly() throws Exception {
    TestKeys keys = TestKeys.unique();
    KvStore store = store();
    String counter = keys.of("counter");
    List<Long> results = callConcurrently(CONCURRENT_CALLS, call -> store.increment(counter));
    assertEquals(numbersFromOne(CONCURRENT_CALLS), sorted(results));
    assertEquals(Integer.toString(CONCURRENT_CALLS), await(store.get(counter)));
  }

  // --- sorted indexes ---

  @Test
  default void putIfAbsentThenIndexAddAddsTheMemberOnlyWhenItWroteTheValue() {
    TestKeys keys = TestKeys.unique();
    String index = keys.of("index");
    assertTrue(await(store().putIfAbsentThenIndexAdd(keys.of("k"), "first", LONG_TTL, index, "a", 1)));
    assertFalse(await(store().putIfAbsentThenIndexAdd(keys.of("k"), "second", LONG_TTL, index, "b", 2)));
    assertEquals("first", await(store().get(keys.of("k"))));
    assertEquals(List.of("a"), await(store().indexRange(index, 10, false)));
  }

  @Test
  default void deleteEachRemovesEveryKeyAndIndexItNamesAndNothingElse() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("a"), "1"));
    await(store().put(keys.of("b"), "2", LONG_TTL));
    await(store().put(keys.of("kept"), "3"));
    await(store().indexAdd(keys.of("index"), "m", 1));
    // a key that is not there and a key named twice change nothing more
    await(store().deleteEach(List.of(keys.of("a"), keys.of("b"), keys.of("gone"), keys.of("a"), keys.of("index"))));
    assertEquals(Map.of(keys.of("kept"), "3"),
        await(store().getAll(List.of(keys.of("a"), keys.of("b"), keys.of("kept")))));
    assertEquals(List.of(), await(store().indexRange(keys.of("index"), 10, false)));
    // the index's name is free for a value again
    await(store().put(keys.of("index"), "value"));
    assertEquals("value", await(store().get(keys.of("index"))));
    await(store().deleteEach(List.of()));
    assertEquals("3", await(store().get(keys.of("kept"))));
  }

  @Test
  default void keysWithPrefixNamesLiveValuesAndIndexesUnderThePrefixInByteOrder() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("scan:b"), "2"));
    await(store().put(keys.of("scan:a"), "1", LONG_TTL));
    await(store().put(keys.of("scan:\u00e9"), "3"));
    await(store().indexAdd(keys.of("scan:c"), "m", 1));
    await(store().put(keys.of("scan"), "not under the prefix scan:"));
    await(store().put(keys.of("scam:z"), "nor this"));
    // glob characters in the prefix are matched as themselves
    await(store().put(keys.of("scan*:x"), "nor this"));
    await(store().put(keys.of("scan:[x]?"), "4"));
    assertEquals(List.of(keys.of("scan:[x]?"), keys.of("scan:a"), keys.of("scan:b"), keys.of("scan:c"),
        keys.of("scan:\u00e9")), await(store().keysWithPrefix(keys.of("scan:"), 10)));
    assertEquals(List.of(keys.of("scan:[x]?"), keys.of("scan:a")),
        await(store().keysWithPrefix(keys.of("scan:"), 2)));
    assertEquals(List.of(), await(store().keysWithPrefix(keys.of("scan:"), 0)));
    assertEquals(List.of(), await(store().keysWithPrefix(keys.of("nothing:"), 10)));
    assertEquals(List.of(keys.of("scan*:x")), await(store().keysWithPrefix(keys.of("scan*"), 10)));
  }

  @Test
  default void keysWithPrefixLeavesOutAValueThatExpired() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("scan:expiring"), "gone soon", SHORT_TTL));
    await(store().put(keys.of("scan:kept"), "kept"));
    waitOutShortTtl(keys);
    assertEquals(List.of(keys.of("scan:kept")), await(store().keysWithPrefix(keys.of("scan:"), 10)));
  }

  @Test
  default void indexTrimBelowRemovesTheLowestMembersUnderTheBoundAtMostTheLimit() {
    TestKeys keys = TestKeys.unique();
    String index = keys.of("index");
    await(store().indexAdd(index, "d", 40));
    await(store().indexAdd(index, "a", -10));
    await(store().indexAdd(index, "c", 30));
    await(store().indexAdd(index, "b", 20));
    await(store().indexAdd(index, "e", 50));
    assertEquals(2, await(store().indexTrimBelow(index, 40, 2)));
    assertEquals(List.of("c", "d", "e"), await(store().indexRange(index, 10, false)));
    // fewer than the limit: nothing below the bound is left; the bound itself is kept
    assertEquals(1, await(store().indexTrimBelow(index, 40, 10)));
    assertEquals(0, await(store().indexTrimBelow(index, 40, 10)));
    assertEquals(List.of("d", "e"), await(store().indexRange(index, 10, false)));
    // an emptied index stops existing: its name is free for a value
    assertEquals(2, await(store().indexTrimBelow(index, Long.MAX_VALUE, KvStore.MAX_TRIM)));
    await(store().put(index, "value"));
    assertEquals("value", await(store().get(index)));
    assertEquals(0, await(store().indexTrimBelow(keys.of("no-index"), 100, 10)));
  }

  @Test
  default void indexTrimBelowRefusesALimitOutsideOneToMaxTrim() {
    TestKeys keys = TestKeys.unique();
    assertThrows(IllegalArgumentException.class, () -> store().indexTrimBelow(keys.of("index"), 1, 0));
    assertThrows(IllegalArgumentException.class,
        () -> store().indexTrimBelow(keys.of("index"), 1, KvStore.MAX_TRIM + 1));
  }

  @Test
  default void indexRangeOrdersByScore() {
    TestKeys keys = TestKeys.unique();
    String index = keys.of("index");
    await(store().indexAdd(index, "c", 30));
    await(store().indexAdd(index, "a", -10));
    await(store().indexAdd(index, "b", 20));
    assertEquals(List.of("a", "b", "c"), await(store().indexRange(index, 10, false)));
    assertEquals(List.of("c", "b", "a"), await(store().indexRange(index, 10, true)));
  }

  @Test
  default void indexRangeBreaksScoreTiesByMember() {
    TestKeys keys = TestKeys.unique();
    String index = keys.of("index");
    await(store().indexAdd(index, "late", 2));
    await(store().indexAdd(index, "y", 1));
    await(store().indexAdd(index, "x", 1));
    await(store().indexAdd(index, "z", 1));
    assertEquals(List.of("x", "y", "z", "late"), await(store().indexRange(index, 10, false)));
    assertEquals(List.of("late", "z", "y", "x"), await(store().indexRange(index, 10, true)));
  }

  @Test
  default void indexRangeReturnsAtMostLimitMembers() {
    TestKeys keys = TestKeys.unique();
    String index = keys.of("index");
    for (int score = 1; score <= 4; score++) {
      await(store().indexAdd(index, "m" + score, score));
    }
    assertEquals(List.of("m1", "m2"), await(store().indexRange(index, 2, false)));
    assertEquals(List.of("m4", "m3"), await(store().indexRange(index, 2, true)));
    assertEquals(List.of("m1", "m2", "m3", "m4"), await(store().indexRange(index, 100, false)));
  }

  @Test
  default void indexRangeWithNonPositiveLimitIsEmpty() {
    TestKeys keys = TestKeys.unique();
    String index = keys.of("index");
    await(store().indexAdd(index, "m", 1));
    assertEquals(List.of(), await(store().indexRange(index, 0, false)));
    assertEquals(List.of(), await(store().indexRange(index, -1, true)));
  }

  @Test
  default void indexRangeOfAbsentIndexIsEmpty() {
    TestKeys keys = TestKeys.unique();
    assertEquals(List.of(), await(store().indexRange(keys.of("missing"), 10, false)));
  }

  @Test
  default void indexAddOfExistingMemberChangesItsScore() {
    TestKeys keys = TestKeys.unique();
    String index = keys.of("index");
    await(store().indexAdd(index, "a", 1));
    await(store().indexAdd(index, "b", 2));
    await(store().indexAdd(index, "a", 3));
    assertEquals(List.of("b", "a"), await(store().indexRange(index, 10, false)));
  }

  @Test
  default void indexRemoveRemovesMember() {
    TestKeys keys = TestKeys.unique();
    String index = keys.of("index");
    await(store().indexAdd(index, "a", 1));
    await(store().indexAdd(index, "b", 2));
    assertTrue(await(store().indexRemove(index, "a")));
    assertEquals(List.of("b"), await(store().indexRange(index, 10, false)));
    assertFalse(await(store().indexRemove(index, "a")));
  }

  @Test
  default void indexRemoveOfAbsentMemberReturnsFalse() {
    TestKeys keys = TestKeys.unique();
    String index = keys.of("index");
    assertFalse(await(store().indexRemove(index, "a")));
    await(store().indexAdd(index, "b", 1));
    assertFalse(await(store().indexRemove(index, "a")));
    assertEquals(List.of("b"), await(store().indexRange(index, 10, false)));
  }

  // --- allocateAndWrite ---

  @Test
  default void allocateAndWriteCountsFromOneForAbsentCounter() {
    TestKeys keys = TestKeys.unique();
    String counter = keys.of("counter");
    assertEquals(1L, await(store().allocateAndWrite(counter, List.of())));
    assertEquals(2L, await(store().allocateAndWrite(counter, List.of())));
    assertEquals("2", await(store().get(counter)));
  }

  @Test
  default void allocateAndWriteSharesCounterWithIncrement() {
    TestKeys keys = TestKeys.unique();
    String counter = keys.of("counter");
    await(store().put(counter, "41"));
    assertEquals(42L, await(store().allocateAndWrite(counter, List.of())));
    assertEquals(43L, await(store().increment(counter)));
  }

  @Test
  default void allocateAndWriteSubstitutesNumberInKeysAndValues() {
    TestKeys keys = TestKeys.unique();
    String counter = keys.of("counter");
    await(store().put(counter, "6"));
    long seq =
        await(
            store()
                .allocateAndWrite(
                    counter,
                    List.of(
                        new KvWrite(
                            keys.of("version:" + KvWrite.SEQ),
                            "{\"version\":" + KvWrite.SEQ + ",\"label\":\"v" + KvWrite.SEQ + "\"}",
                            false,
                            true),
                        KvWrite.upsert(
                            keys.of("a:" + KvWrite.SEQ + ":b:" + KvWrite.SEQ), "plain"),
                        KvWrite.upsertTemplate(keys.of("latest"), KvWrite.SEQ),
                        KvWrite.create(keys.of("literal:" + KvWrite.SEQ), "user text " + KvWrite.SEQ))));
    assertEquals(7L, seq);
    Map<String, String> expected = new HashMap<>();
    expected.put(keys.of("version:7"), "{\"version\":7,\"label\":\"v7\"}");
    expected.put(keys.of("a:7:b:7"), "plain");
    expected.put(keys.of("latest"), "7");
    // values are user content unless marked as templates: never rewritten
    expected.put(keys.of("literal:7"), "user text " + KvWrite.SEQ);
    assertEquals(expected, await(store().getAll(expected.keySet())));
  }

  @Test
  default void allocateAndWriteOverwritesWhenAllowed() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("item:1"), "old"));
    long seq =
        await(
            store()
                .allocateAndWrite(
                    keys.of("counter"), List.of(KvWrite.upsert(keys.of(ITEM_SEQ), "new"))));
    assertEquals(1L, seq);
    assertEquals("new", await(store().get(keys.of("item:1"))));
  }

  @Test
  default void allocateAndWriteConflictChangesNothing() {
    TestKeys keys = TestKeys.unique();
    String counter = keys.of("counter");
    await(store().put(counter, "3"));
    await(store().put(keys.of("item:4"), "taken"));
    KvConflictException conflict =
        awaitFailure(
            store()
                .allocateAndWrite(
                    counter,
                    List.of(
                        KvWrite.upsert(keys.of("before:" + KvWrite.SEQ), "x"),
                        KvWrite.create(keys.of(ITEM_SEQ), "mine"),
                        KvWrite.create(keys.of("after:" + KvWrite.SEQ), "y"))),
            KvConflictException.class);
    assertEquals(keys.of("item:4"), conflict.key());
    assertEquals("3", await(store().get(counter)));
    assertEquals("taken", await(store().get(keys.of("item:4"))));
    assertEquals(
        Map.of(), await(store().getAll(List.of(keys.of("before:4"), keys.of("after:4")))));
  }

  @Test
  default void allocateAndWriteConflictLeavesAbsentCounterAbsent() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("item:1"), "taken"));
    KvConflictException conflict =
        awaitFailure(
            store()
                .allocateAndWrite(
                    keys.of("counter"), List.of(KvWrite.create(keys.of(ITEM_SEQ), "mine"))),
            KvConflictException.class);
    assertEquals(keys.of("item:1"), conflict.key());
    assertNull(await(store().get(keys.of("counter"))));
  }

  @Test
  default void allocateAndWriteCreateOnlyTreatsExpiredKeyAsAbsent() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("item:1"), "old", SHORT_TTL));
    waitOutShortTtl(keys);
    long seq =
        await(
            store()
                .allocateAndWrite(
                    keys.of("counter"), List.of(KvWrite.create(keys.of(ITEM_SEQ), "new"))));
    assertEquals(1L, seq);
    assertEquals("new", await(store().get(keys.of("item:1"))));
  }

  @Test
  default void allocateAndWriteOnNonNumericCounterFailsAndLeavesItAlone() {
    TestKeys keys = TestKeys.unique();
    await(store().put(keys.of("counter"), "not a number"));
    KvException failure =
        awaitFailure(
            store()
                .allocateAndWrite(
                    keys.of("counter"), List.of(KvWrite.upsert(keys.of(ITEM_SEQ), "v"))),
            KvException.class);
    assertFalse(failure instanceof KvConflictException, "not a conflict: " + failure);
    assertEquals("not a number", await(store().get(keys.of("counter"))));
  }

  @Test
  default void concurrentAllocationsGetDistinctConsecutiveNumbers() throws Exception {
    TestKeys keys = TestKeys.unique();
    KvStore store = store();
    List<Long> allocated =
        callConcurrently(
            CONCURRENT_CALLS,
            call ->
                store.allocateAndWrite(
                    keys.of("counter"),
                    List.of(new KvWrite(keys.of(ITEM_SEQ), "item " + KvWrite.SEQ, false, true))));
    assertEquals(numbersFromOne(CONCURRENT_CALLS), sorted(allocated));
    Map<String, String> expected = new HashMap<>();
    for (long n = 1; n <= CONCURRENT_CALLS; n++) {
      expected.put(keys.of("item:" + n), "item " + n);
    }
    assertEquals(expected, await(store.getAll(expected.keySet())));
    assertEquals(Integer.toString(CONCURRENT_CALLS), await(store.get(keys.of("counter"))));
  }

  @Test
  default void indexMembersWithPrefixAreListedInLexicographicOrder() {
    TestKeys keys = TestKeys.unique();
    String index = keys.of("names");
    for (String member : List.of("orders/2", "orders/10", "orders", "orders-archive/1", "ordersX", "billing/1",
        "orders/\u00e9t\u00e9")) {
      await(store().indexAdd(index, member, 0));
    }
    assertEquals(List.of("orders/10", "orders/2", "orders/\u00e9t\u00e9"),
        await(store().indexMembersWithPrefix(index, "orders/", 10)));
    assertEquals(List.of("orders/10", "orders/2"), await(store().indexMembersWithPrefix(index, "orders/", 2)));
    assertEquals(List.of("orders", "orders-archive/1", "orders/10", "orders/2", "orders/\u00e9t\u00e9", "ordersX"),
        await(store().indexMembersWithPrefix(index, "orders", 10)));
    assertEquals(List.of(), await(store().indexMembersWithPrefix(index, "zzz", 10)));
    assertEquals(List.of(), await(store().indexMembersWithPrefix(keys.of("absent"), "", 10)));
    assertEquals(List.of(), await(store().indexMembersWithPrefix(index, "orders/", 0)));
  }

  // --- helpers ---

  /** Polls until the key reads as absent; fails if it is still there after 10 s. */
  private void awaitAbsent(String key) {
    long deadline = System.nanoTime() + SECONDS.toNanos(10);
    while (await(store().get(key)) != null) {
      if (System.nanoTime() > deadline) {
        fail("key still present after 10 s: " + key);
      }
      sleepBriefly();
    }
  }

  /**
   * Waits until every key the test wrote earlier with {@link #SHORT_TTL} has expired, by watching
   * a marker written now with the same ttl. The earlier keys are never read, so the test then
   * meets them expired but not yet looked at, the case lazy expiry must get right.
   */
  private void waitOutShortTtl(TestKeys keys) {
    String marker = keys.of("expiry-marker");
    await(store().put(marker, "marker", SHORT_TTL));
    awaitAbsent(marker);
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(25);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Starts the calls from several threads at once and returns their results. */
  private static <T> List<T> callConcurrently(int calls, IntFunction<Future<T>> call)
      throws InterruptedException {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Future<T>>> tasks = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        int callNumber = i;
        tasks.add(() -> call.apply(callNumber));
      }
      List<T> results = new ArrayList<>();
      for (var started : threads.invokeAll(tasks)) {
        results.add(await(started.get()));
      }
      return results;
    } catch (ExecutionException e) {
      throw new AssertionError("call threw: " + e.getCause(), e.getCause());
    } finally {
      threads.shutdownNow();
    }
  }

  private static List<Long> numbersFromOne(int count) {
    return LongStream.rangeClosed(1, count).boxed().toList();
  }

  private static List<Long> sorted(List<Long> numbers) {
    return numbers.stream().sorted().toList();
  }
}
