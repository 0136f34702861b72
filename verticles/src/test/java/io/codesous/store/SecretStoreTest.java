package io.codesous.store;

import io.codesous.auth.secret.SecretBox;
import io.codesous.kv.KvStore;
import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.kv.KvKeys;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretStoreTest {

  static final String VALUE = "pa55-w0rd-\u00e9-do-not-leak";
  static final String OTHER_VALUE = "rotated-s3cret-value";

  Vertx vertx;
  InMemoryKvStore kv;
  SecretBox box;
  AtomicLong clock;
  SecretStore store;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    kv = new InMemoryKvStore(vertx);
    await(kv.start());
    box = new SecretBox(new byte[SecretBox.KEY_BYTES]);
    clock = new AtomicLong(1_000);
    store = new SecretStore(kv, box, clock::get);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static CsException failure(Future<?> f) {
    return awaitFailure(f, CsException.class);
  }

  static JsonObject metadata(String name, long version, long createdAtMs, long updatedAtMs) {
    return new JsonObject().put("name", name).put("version", version).put("created_at_ms", createdAtMs)
        .put("updated_at_ms", updatedAtMs);
  }

  /** No message of the failure or of its causes mentions the value. */
  static void assertNoValueIn(Throwable failure, String value) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(value), t.getMessage());
      assertFalse(String.valueOf(t).contains(value), t.toString());
    }
    if (failure instanceof CsException cs && cs.details() != null) {
      assertFalse(cs.details().encode().contains(value), cs.details().encode());
    }
  }

  // ---- create

  @Test
  void createAnswersMetadataOnly() throws Exception {
    JsonObject created = await(store.create("acme", "default", "db-password", VALUE));
    assertEquals(metadata("db-password", 1, 1_000, 1_000), created);
    assertFalse(created.encode().contains(VALUE));
  }

  @Test
  void createOfAnExistingNameIsAConflictAndKeepsTheFirstValue() throws Exception {
    await(store.create("acme", "default", "token", VALUE));
    CsException e = failure(store.create("acme", "default", "token", OTHER_VALUE));
    assertEquals(ErrorCode.CS_CONFLICT, e.code());
    assertTrue(e.getMessage().contains("token"), e.getMessage());
    assertNoValueIn(e, OTHER_VALUE);
    assertEquals(Map.of("token", VALUE), await(store.resolve("acme", "default", List.of("token"))));
  }

  @Test
  void theStoreHoldsNoPlaintext() throws Exception {
    await(store.create("acme", "default", "token", VALUE));
    String raw = await(kv.get(KvKeys.secret("acme", "default", "token")));
    assertNotNull(raw);
    assertFalse(raw.contains(VALUE), raw);
    assertFalse(raw.contains("pa55"), raw);
    // Nor the value's UTF-8 bytes in base64 (the only other text form that could slip in).
    assertFalse(raw.contains(Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8))), raw);
    JsonObject record = new JsonObject(raw);
    assertEquals(Set.of("name", "version", "created_at_ms", "updated_at_ms", "sealed"), record.fieldNames());
    assertTrue(record.getString("sealed").startsWith(SecretBox.ENVELOPE_VERSION + ":"), record.getString("sealed"));

    await(store.rotate("acme", "default", "token", OTHER_VALUE));
    String rotated = await(kv.get(KvKeys.secret("acme", "default", "token")));
    assertFalse(rotated.contains(OTHER_VALUE), rotated);
    assertFalse(rotated.contains(VALUE), rotated);
  }

  @Test
  void concurrentCreatesOfOneNameLetExactlyOneWin() throws Exception {
    int writers = 8;
    // No create hears back from the store before all of them have called it, so they all race for the key.
    KvStore racing = holdingFirstCalls(kv, writers);
    SecretStore shared = new SecretStore(racing, box, clock::get);
    List<Future<JsonObject>> attempts = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      attempts.add(shared.create("acme", "default", "token", "value-of-writer-" + i));
    }
    List<String> winners = new ArrayList<>();
    int conflicts = 0;
    for (int i = 0; i < writers; i++) {
      Future<JsonObject> attempt = attempts.get(i);
      try {
        assertEquals(metadata("token", 1, 1_000, 1_000), attempt.await(10, TimeUnit.SECONDS));
        winners.add("value-of-writer-" + i);
      } catch (CsException e) {
        assertEquals(ErrorCode.CS_CONFLICT, e.code());
        conflicts++;
      }
    }
    assertEquals(1, winners.size(), winners.toString());
    assertEquals(writers - 1, conflicts);
    assertEquals(Map.of("token", winners.get(0)), await(store.resolve("acme", "default", List.of("token"))));
    assertEquals(new JsonArray().add(metadata("token", 1, 1_000, 1_000)),
        await(store.list("acme", "default")).getJsonArray("secrets"));
  }

  // ---- rotate

  @Test
  void rotateRaisesTheVersionAndReplacesTheValue() throws Exception {
    await(store.create("acme", "default", "token", VALUE));
    clock.set(2_000);
    JsonObject rotated = await(store.rotate("acme", "default", "token", OTHER_VALUE));
    assertEquals(metadata("token", 2, 1_000, 2_000), rotated);
    assertFalse(rotated.encode().contains(OTHER_VALUE));
    clock.set(3_000);
    assertEquals(metadata("token", 3, 1_000, 3_000), await(store.rotate("acme", "default", "token", VALUE)));
    assertEquals(Map.of("token", VALUE), await(store.resolve("acme", "default", List.of("token"))));
  }

  @Test
  void rotatingAMissingSecretIsNotFound() {
    CsException e = failure(store.rotate("acme", "default", "token", VALUE));
    assertEquals(ErrorCode.CS_NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains("token"), e.getMessage());
    assertNoValueIn(e, VALUE);
  }

  @Test
  void concurrentRotationsEachGetTheirOwnVersion() throws Exception {
    await(store.create("acme", "default", "token", VALUE));
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    List<Future<JsonObject>> results = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 4; i++) {
      int n = i;
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        results.add(store.rotate("acme", "default", "token", "rotation-value-" + n));
      });
      thread.start();
      threads.add(thread);
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join(10_000);
    }
    List<Long> versions = new ArrayList<>();
    for (Future<JsonObject> rotation : results) {
      versions.add(await(rotation).getLong("version"));
    }
    versions.sort(null);
    assertEquals(List.of(2L, 3L, 4L, 5L), versions);
  }

  // ---- delete

  @Test
  void deleteRemovesTheSecretAndItsListing() throws Exception {
    await(store.create("acme", "default", "token", VALUE));
    assertEquals(new JsonObject().put("name", "token").put("deleted", true),
        await(store.delete("acme", "default", "token")));
    assertNull(await(kv.get(KvKeys.secret("acme", "default", "token"))));
    assertEquals(new JsonArray(), await(store.list("acme", "default")).getJsonArray("secrets"));
    assertEquals(ErrorCode.CS_NOT_FOUND, failure(store.resolve("acme", "default", List.of("token"))).code());
    // The name is free again, and starts over at version 1.
    assertEquals(1, await(store.create("acme", "default", "token", OTHER_VALUE)).getLong("version"));
    assertEquals(Map.of("token", OTHER_VALUE), await(store.resolve("acme", "default", List.of("token"))));
  }

  @Test
  void deletingAMissingSecretIsNotFound() throws Exception {
    CsException e = failure(store.delete("acme", "default", "token"));
    assertEquals(ErrorCode.CS_NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains("token"), e.getMessage());
    await(store.create("acme", "default", "token", VALUE));
    await(store.delete("acme", "default", "token"));
    assertEquals(ErrorCode.CS_NOT_FOUND, failure(store.delete("acme", "default", "token")).code());
    assertEquals(ErrorCode.CS_NOT_FOUND, failure(store.rotate("acme", "default", "token", VALUE)).code());
  }

  // ---- list

  @Test
  void listIsSortedByNameAndHoldsNoValue() throws Exception {
    clock.set(10);
    await(store.create("acme", "default", "zeta", "zeta-value"));
    clock.set(20);
    await(store.create("acme", "default", "alpha", "alpha-value"));
    clock.set(30);
    await(store.create("acme", "default", "mid-1", "mid-value"));
    await(store.rotate("acme", "default", "zeta", "zeta-value-2"));
    await(store.create("acme", "other", "beta", "beta-value"));
    await(store.create("globex", "default", "gamma", "gamma-value"));

    JsonObject listed = await(store.list("acme", "default"));
    assertEquals(new JsonObject().put("secrets", new JsonArray()
        .add(metadata("alpha", 1, 20, 20))
        .add(metadata("mid-1", 1, 30, 30))
        .add(metadata("zeta", 2, 10, 30))), listed);
    assertFalse(listed.encode().contains("-value"), listed.encode());
    assertEquals(new JsonObject().put("secrets", new JsonArray()), await(store.list("acme", "empty")));
  }

  @Test
  void anIndexEntryWithoutItsRecordIsSkipped() throws Exception {
    await(store.create("acme", "default", "token", VALUE));
    await(kv.indexAdd(KvKeys.secretIndex("acme", "default"), "ghost", 0));
    assertEquals(new JsonArray().add(metadata("token", 1, 1_000, 1_000)),
        await(store.list("acme", "default")).getJsonArray("secrets"));
  }

  @Test
  void aRotationRepairsAMissingIndexEntry() throws Exception {
    await(store.create("acme", "default", "token", VALUE));
    await(kv.indexRemove(KvKeys.secretIndex("acme", "default"), "token"));
    await(store.rotate("acme", "default", "token", OTHER_VALUE));
    assertEquals(1, await(store.list("acme", "default")).getJsonArray("secrets").size());
  }

  // ---- resolve

  @Test
  void resolveAnswersTheNamedValuesInOrder() throws Exception {
    await(store.create("acme", "default", "db-password", VALUE));
    await(store.create("acme", "default", "api-key", OTHER_VALUE));
    await(store.create("acme", "default", "unused", "unused-value"));
    Map<String, String> values = await(store.resolve("acme", "default", List.of("db-password", "api-key",
        "db-password")));
    assertEquals(List.of("db-password", "api-key"), List.copyOf(values.keySet()));
    assertEquals(Map.of("db-password", VALUE, "api-key", OTHER_VALUE), values);
    assertThrows(UnsupportedOperationException.class, () -> values.put("x", "y"));
    assertEquals(Map.of(), await(store.resolve("acme", "default", List.of())));
  }

  @Test
  void resolvingAMissingSecretNamesItAndNoValue() throws Exception {
    await(store.create("acme", "default", "db-password", VALUE));
    CsException e = failure(store.resolve("acme", "default", List.of("db-password", "api-key")));
    assertEquals(ErrorCode.CS_NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains("api-key"), e.getMessage());
    assertNoValueIn(e, VALUE);
  }

  @Test
  void aTenantCannotResolveAnotherTenantsSecretOfTheSameName() throws Exception {
    await(store.create("globex", "default", "token", VALUE));
    CsException e = failure(store.resolve("acme", "default", List.of("token")));
    assertEquals(ErrorCode.CS_NOT_FOUND, e.code());
    assertNoValueIn(e, VALUE);
    // Nor does another namespace of the same tenant see it.
    assertEquals(ErrorCode.CS_NOT_FOUND, failure(store.resolve("globex", "other", List.of("token"))).code());

    await(store.create("acme", "default", "token", OTHER_VALUE));
    assertEquals(Map.of("token", OTHER_VALUE), await(store.resolve("acme", "default", List.of("token"))));
    assertEquals(Map.of("token", VALUE), await(store.resolve("globex", "default", List.of("token"))));
  }

  @Test
  void aRecordCopiedUnderAnotherTenantOrNameDoesNotOpen() throws Exception {
    await(store.create("globex", "default", "token", VALUE));
    String stolen = await(kv.get(KvKeys.secret("globex", "default", "token")));
    await(kv.put(KvKeys.secret("acme", "default", "token"), stolen));
    CsException e = failure(store.resolve("acme", "default", List.of("token")));
    assertEquals(ErrorCode.CS_INTERNAL, e.code());
    assertTrue(e.getMessage().contains("token"), e.getMessage());
    assertNoValueIn(e, VALUE);

    await(kv.put(KvKeys.secret("globex", "default", "other-token"), stolen));
    assertEquals(ErrorCode.CS_INTERNAL, failure(store.resolve("globex", "default", List.of("other-token"))).code());
  }

  @Test
  void anotherKeyDoesNotOpenTheStoredValues() throws Exception {
    await(store.create("acme", "default", "token", VALUE));
    byte[] otherKey = new byte[SecretBox.KEY_BYTES];
    otherKey[0] = 1;
    SecretStore wrongKey = new SecretStore(kv, new SecretBox(otherKey), clock::get);
    CsException e = failure(wrongKey.resolve("acme", "default", List.of("token")));
    assertEquals(ErrorCode.CS_INTERNAL, e.code());
    assertNoValueIn(e, VALUE);
  }

  // ---- validation

  @Test
  void badNamesAreRefusedNamingTheField() {
    for (String name : new String[] {null, "", "Token", "1token", "a:b", "a".repeat(64), "tok en"}) {
      for (Future<?> attempt : List.of(store.create("acme", "default", name, VALUE),
          store.rotate("acme", "default", name, VALUE), store.delete("acme", "default", name))) {
        CsException e = failure(attempt);
        assertEquals(ErrorCode.CS_VALIDATION_FAILED, e.code(), name);
        assertEquals("name", e.details().getString("path"));
        assertNoValueIn(e, VALUE);
      }
      assertEquals(ErrorCode.CS_VALIDATION_FAILED,
          failure(store.resolve("acme", "default", Arrays.asList("token", name))).code());
    }
    assertEquals("tenant", failure(store.create("Acme", "default", "token", VALUE)).details().getString("path"));
    assertEquals("namespace", failure(store.list("acme", "a:b")).details().getString("path"));
  }

  @Test
  void emptyShortAndOversizedValuesAreRefusedWithoutEchoingThem() throws Exception {
    String largest = "x".repeat(SecretStore.MAX_VALUE_BYTES);
    String oneByteTooMany = largest + "y";
    // 21846 chars of three UTF-8 bytes each: under the limit in chars, over it in bytes.
    String wideChars = "\u20ac".repeat(SecretStore.MAX_VALUE_BYTES / 3 + 1);
    for (String value : new String[] {null, "", "abc", oneByteTooMany, wideChars, "ab\ud800cd"}) {
      for (Future<?> attempt : List.of(store.create("acme", "default", "token", value),
          store.rotate("acme", "default", "token", value))) {
        CsException e = failure(attempt);
        assertEquals(ErrorCode.CS_VALIDATION_FAILED, e.code());
        assertEquals("value", e.details().getString("path"));
        assertTrue(e.getMessage().startsWith("value: "), e.getMessage());
        if (value != null && !value.isEmpty()) {
          assertNoValueIn(e, value);
        }
      }
    }
    assertNull(await(kv.get(KvKeys.secret("acme", "default", "token"))));
    assertEquals(1, await(store.create("acme", "default", "token", largest)).getLong("version"));
    assertEquals(largest, await(store.resolve("acme", "default", List.of("token"))).get("token"));
    assertEquals(2, await(store.rotate("acme", "default", "token", "abcd")).getLong("version"));
  }

  // ---- helpers

  /**
   * The store, answering no call before {@code parties} calls have been made, and every call on a thread of its own:
   * so concurrent operations all reach the store before any of them learns anything from it, whatever they do
   * first (a read to check, or a conditional write).
   */
  static KvStore holdingFirstCalls(KvStore delegate, int parties) {
    CountDownLatch arrived = new CountDownLatch(parties);
    return (KvStore) Proxy.newProxyInstance(KvStore.class.getClassLoader(), new Class<?>[] {KvStore.class},
        (proxy, method, args) -> {
          arrived.countDown();
          Promise<Object> answer = Promise.promise();
          new Thread(() -> {
            try {
              if (!arrived.await(10, TimeUnit.SECONDS)) {
                answer.fail("not every caller arrived");
                return;
              }
              @SuppressWarnings("unchecked")
              Future<Object> result = (Future<Object>) method.invoke(delegate, args);
              result.onComplete(answer);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              answer.fail(e);
            } catch (ReflectiveOperationException e) {
              answer.fail(e.getCause() != null ? e.getCause() : e);
            }
          }).start();
          return answer.future();
        });
  }
}
