package io.codesous.kv.redis;

import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.codesous.kv.KvConflictException;
import io.codesous.kv.KvException;
import io.codesous.kv.KvStore;
import io.codesous.kv.KvStoreContract;
import io.codesous.kv.KvSwap;
import io.codesous.kv.KvWrite;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The KV contract and the Redis-specific behaviour of {@link RedisKvStore}, against the Redis (or
 * KVRocks) on 127.0.0.1:6379. Every key lives under a {@code cs-test:<uuid>:} prefix of this run;
 * those prefixes are recorded and their keys removed after the class.
 */
class RedisKvStoreIT implements KvStoreContract {

  static final String SERVER = "redis://127.0.0.1:6379";

  private static final String SEQ = KvWrite.SEQ;

  private static Vertx vertx;
  private static RedisKvStore redisStore;
  private static KeyRecordingKvStore store;
  // Plain client for what the port cannot express: TTLs, script cache, cleanup.
  private static Redis admin;

  // JUnit makes an instance per test, so each test has its own prefix.
  private final String keyPrefix = TEST_KEY_PREFIX + UUID.randomUUID() + ":";

  @BeforeAll
  static void startStore() {
    vertx = Vertx.vertx();
    admin = Redis.createClient(vertx, SERVER);
    redisStore = new RedisKvStore(vertx, options());
    store = new KeyRecordingKvStore(redisStore);
    await(store.start());
  }

  @AfterAll
  static void removeKeysAndStop() {
    try {
      if (store != null) {
        for (String prefix : store.prefixes()) {
          deleteKeysUnder(prefix);
        }
        await(store.stop());
      }
    } finally {
      if (admin != null) {
        await(admin.close());
      }
      await(vertx.close());
    }
  }

  @Override
  public KvStore store() {
    return store;
  }

  @Override
  public KvStore newStore() {
    return new RedisKvStore(vertx, options());
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  // --- scripts ---

  @Test
  void scriptsFlushedFromTheServerAreLoadedAgain() {
    String key = key("k");
    admin("SCRIPT", "FLUSH");
    assertTrue(await(store.compareAndSet(key, null, "v1")));
    assertEquals(1L, admin("SCRIPT", "EXISTS", LuaScript.COMPARE_AND_SET.sha1()).get(0).toLong());

    admin("SCRIPT", "FLUSH");
    String counter = key("counter");
    long seq = await(store.allocateAndWrite(counter, List.of(KvWrite.create(key("item:" + SEQ), "x"))));
    assertEquals(1L, seq);
    assertEquals("x", await(store.get(key("item:1"))));
    assertEquals(
        1L, admin("SCRIPT", "EXISTS", LuaScript.ALLOCATE_AND_WRITE.sha1()).get(0).toLong());
  }

  @Test
  void aBatchOfSwapsAfterTheScriptsWereFlushedLoadsItsScriptAgain() {
    admin("SCRIPT", "FLUSH");
    assertEquals(List.of(true, true),
        await(store.compareAndSetEach(List.of(new KvSwap(key("a"), null, "1"), new KvSwap(key("b"), null, "2")))));
    assertEquals(
        1L, admin("SCRIPT", "EXISTS", LuaScript.COMPARE_AND_SET_EACH.sha1()).get(0).toLong());
    assertEquals("2", await(store.get(key("b"))));
  }

  @Test
  void aBatchOfSwapsKeepsEachKeysRemainingTtl() {
    String key = key("k");
    await(store.put(key, "v1", Duration.ofMinutes(1)));
    assertEquals(List.of(true), await(store.compareAndSetEach(List.of(new KvSwap(key, "v1", "v2")))));
    long pttl = pttl(key);
    assertTrue(pttl > 0 && pttl <= Duration.ofMinutes(1).toMillis(), "pttl " + pttl);
  }

  // --- expiry ---

  @Test
  void compareAndSetKeepsTheRemainingTtl() {
    String key = key("k");
    await(store.put(key, "v1", Duration.ofMinutes(1)));
    assertTrue(await(store.compareAndSet(key, "v1", "v2")));
    long pttl = pttl(key);
    assertTrue(pttl > 0 && pttl <= Duration.ofMinutes(1).toMillis(), "pttl " + pttl);
    assertEquals("v2", await(store.get(key)));
  }

  @Test
  void compareAndSetFromAbsentWritesWithoutTtl() {
    String key = key("k");
    assertTrue(await(store.compareAndSet(key, null, "created")));
    assertEquals(-1L, pttl(key));
  }

  @Test
  void allocateAndWriteKeepsCounterTtlAndWritesCarryNone() {
    String counter = key("counter");
    await(store.put(counter, "1", Duration.ofMinutes(1)));
    await(store.put(key("item:2"), "old", Duration.ofMinutes(1)));
    long seq = await(store.allocateAndWrite(counter, List.of(KvWrite.upsert(key("item:" + SEQ), "new"))));
    assertEquals(2L, seq);
    assertTrue(pttl(counter) > 0, "the counter keeps its ttl");
    assertEquals(-1L, pttl(key("item:2")), "the write replaced the ttl with none");
    assertEquals("new", await(store.get(key("item:2"))));
  }

  @Test
  void putWithoutTtlClearsTheTtl() {
    String key = key("k");
    await(store.put(key, "v", Duration.ofMinutes(1)));
    await(store.put(key, "w"));
    assertEquals(-1L, pttl(key));
  }

  @Test
  void ttlTooLongForTheServerMeansNoExpiry() {
    String key = key("k");
    Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
    await(store.put(key, "v", forever));
    assertEquals("v", await(store.get(key)));
    assertEquals(-1L, pttl(key));
    assertTrue(await(store.putIfAbsent(key("other"), "v", forever)));
    assertEquals(-1L, pttl(key("other")));
  }

  @Test
  void ttlBelowOneMillisecondIsAcceptedAndExpires() {
    String key = key("k");
    await(store.put(key, "v", Duration.ofNanos(1)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (await(store.get(key)) != null) {
      if (System.nanoTime() > deadline) {
        fail("key with a sub-millisecond ttl is still present");
      }
      sleepBriefly();
    }
  }

  // --- counters ---

  @Test
  void counterBeyondDoublePrecisionCountsExactly() {
    String counter = key("counter");
    await(store.put(counter, "9007199254740993"));
    long seq = await(store.allocateAndWrite(
        counter, List.of(KvWrite.upsertTemplate(key("item:" + SEQ), "n=" + SEQ))));
    assertEquals(9007199254740994L, seq);
    assertEquals("n=9007199254740994", await(store.get(key("item:9007199254740994"))));
    assertEquals("9007199254740994", await(store.get(counter)));
  }

  @Test
  void counterCarriesAcrossDigitsAndThroughZero() {
    String counter = key("counter");
    await(store.put(counter, "999"));
    assertEquals(1000L, await(store.allocateAndWrite(counter, List.of())));
    await(store.put(counter, "-2"));
    assertEquals(-1L, await(store.allocateAndWrite(counter, List.of())));
    assertEquals(0L, await(store.allocateAndWrite(counter, List.of())));
    assertEquals(1L, await(store.allocateAndWrite(counter, List.of())));
    await(store.put(counter, "-1000"));
    assertEquals(-999L, await(store.allocateAndWrite(counter, List.of())));
    assertEquals(-998L, await(store.increment(counter)));
  }

  @Test
  void counterAtLongMaxFailsAndStaysUnchanged() {
    String counter = key("counter");
    String max = Long.toString(Long.MAX_VALUE);
    await(store.put(counter, max));
    KvException viaScript = awaitFailure(
        store.allocateAndWrite(counter, List.of(KvWrite.upsert(key("item"), "v"))),
        KvException.class);
    assertFalse(viaScript instanceof KvConflictException, "not a conflict: " + viaScript);
    assertNamesKey(counter, viaScript);
    assertNamesKey(counter, awaitFailure(store.increment(counter), KvException.class));
    assertEquals(max, await(store.get(counter)));
    assertNull(await(store.get(key("item"))));
  }

  @Test
  void counterThatIsNotAnIntegerIsNamed() {
    String counter = key("counter");
    for (String notCounted : List.of("", "1.5", "01", "-0", "+1", " 1", "99999999999999999999")) {
      await(store.put(counter, notCounted));
      assertNamesKey(
          counter,
          awaitFailure(store.allocateAndWrite(counter, List.of()), KvException.class));
      assertEquals(notCounted, await(store.get(counter)));
    }
  }

  // --- substitution ---

  @Test
  void sequenceTokenIsReplacedAsPlainText() {
    String counter = key("counter");
    String patternChars = "%a.[^$]*+-?()%1";
    long seq = await(store.allocateAndWrite(counter, List.of(
        KvWrite.upsertTemplate(key(patternChars + SEQ + SEQ), SEQ + "%1" + SEQ + "{seq"),
        KvWrite.create(key("literal:" + SEQ), patternChars + SEQ))));
    assertEquals(1L, seq);
    assertEquals(
        Map.of(
            key(patternChars + "11"), "1%11{seq",
            key("literal:1"), patternChars + SEQ),
        await(store.getAll(List.of(key(patternChars + "11"), key("literal:1")))));
  }

  @Test
  void valuesKeepNonAsciiAndBinaryLikeText() {
    String key = key("k");
    String value = "é ✓ 𝄞 \u0000 \r\n end";
    await(store.put(key, value));
    assertEquals(value, await(store.get(key)));
    assertTrue(await(store.compareAndSet(key, value, value + "!")));
    assertEquals(value + "!", await(store.get(key)));
  }

  // --- keys of the wrong kind ---

  @Test
  void indexOperationsOnPlainKeyFailNamingIt() {
    String plain = key("plain");
    await(store.put(plain, "v"));
    assertNamesKey(plain, awaitFailure(store.indexAdd(plain, "m", 1), KvException.class));
    assertNamesKey(plain, awaitFailure(store.indexRemove(plain, "m"), KvException.class));
    assertNamesKey(plain, awaitFailure(store.indexRange(plain, 10, false), KvException.class));
    assertEquals("v", await(store.get(plain)));
  }

  @Test
  void valueOperationsOnIndexFailNamingIt() {
    String index = key("index");
    await(store.indexAdd(index, "m", 1));
    List<Supplier<Future<?>>> operations = List.of(
        () -> store.get(index),
        () -> store.compareAndSet(index, null, "v"),
        () -> store.compareAndSet(index, "m", "v"),
        () -> store.increment(index),
        () -> store.allocateAndWrite(index, List.of()));
    for (Supplier<Future<?>> operation : operations) {
      KvException failure = awaitFailure(operation.get(), KvException.class);
      assertFalse(failure instanceof KvConflictException, "not a conflict: " + failure);
      assertNamesKey(index, failure);
    }
    assertEquals(List.of("m"), await(store.indexRange(index, 10, false)));
  }

  @Test
  void allocateAndWriteOntoIndexFailsAndChangesNothing() {
    String counter = key("counter");
    await(store.indexAdd(key("index:1"), "m", 1));
    KvException failure = awaitFailure(
        store.allocateAndWrite(counter, List.of(
            KvWrite.upsert(key("before:" + SEQ), "v"),
            KvWrite.upsert(key("index:" + SEQ), "v"))),
        KvException.class);
    assertFalse(failure instanceof KvConflictException, "not a conflict: " + failure);
    assertNamesKey(key("index:1"), failure);
    assertNull(await(store.get(counter)));
    assertNull(await(store.get(key("before:1"))));
    assertEquals(List.of("m"), await(store.indexRange(key("index:1"), 10, false)));
  }

  @Test
  void nativeCommandsTreatAnIndexAsDocumented() {
    String index = key("index");
    await(store.indexAdd(index, "m", 1));
    assertEquals(Map.of(), await(store.getAll(List.of(index))));
    assertFalse(await(store.putIfAbsent(index, "v", null)));
    assertEquals(List.of("m"), await(store.indexRange(index, 10, false)));
    await(store.put(index, "v"));
    assertEquals("v", await(store.get(index)));
  }

  // --- lifecycle ---

  @Test
  void stoppingAStoreLeavesTheDataOnTheServer() {
    KeyRecordingKvStore stopped = new KeyRecordingKvStore(
        new RedisKvStore(vertx, options()));
    await(stopped.start());
    String key = key("k");
    await(stopped.put(key, "v"));
    await(stopped.stop());

    awaitFailure(stopped.get(key), KvException.class);
    assertEquals("v", await(store.get(key)), "stopping a store does not touch the data");
  }

  @Test
  void startIsIdempotent() {
    Future<Void> again = redisStore.start();
    // a reconnect would wait for the server's PING: only an already started store answers at once
    assertTrue(again.succeeded(), "a started store starts again without connecting again");
    String key = key("after-second-start");
    await(store.put(key, "still-connected"));
    assertEquals("still-connected", await(store.get(key)));
    assertEquals("still-connected", await(admin.send(Request.cmd(Command.GET).arg(key))).toString(),
        "the command reached the shared server");
  }

  // --- helpers ---

  /**
   * The shared server's options, with a timeout generous enough for a loaded machine: these tests
   * are about answers, not speed.
   */
  private static RedisKvOptions options() {
    return new RedisKvOptions().setConnectionString(SERVER).setCommandTimeoutMs(5_000);
  }

  /** A key under this test's prefix, recorded for cleanup. */
  private String key(String name) {
    String key = keyPrefix + name;
    store.record(key);
    return key;
  }

  private static long pttl(String key) {
    return admin("PTTL", key).toLong();
  }

  private static Response admin(String command, Object... args) {
    Request request = Request.cmd(Command.create(command));
    for (Object arg : args) {
      request.arg(String.valueOf(arg));
    }
    return await(admin.send(request));
  }

  private static void deleteKeysUnder(String prefix) {
    await(RedisKeyCleanup.deleteMatching(RedisAPI.api(admin), prefix + "*"));
  }

  private static void assertNamesKey(String key, KvException failure) {
    String message = failure.getMessage();
    assertTrue(message.contains(key), "message names " + key + ": " + message);
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(25);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
