package io.codesous.spec.validation;

import io.codesous.spec.error.CsException;
import io.codesous.spec.model.Manifest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvPathsTest {

  @ParameterizedTest
  @CsvSource({
      "orders/, orders/1, true",
      "orders, orders/1, true",
      "orders/, orders, true",
      "orders/, orders/a/b, true",
      "orders/, orders-archive, false",
      "orders/, orders-archive/1, false",
      "orders/, ordersX, false",
      "orders/, orders/../billing, true",
      "orders/*, orders/1, false",
      "orders/?, orders/x, false",
      "orders/*, orders/*, true",
      "a/b/, a/b2, false",
      "a/b/, a/b/c, true",
  })
  void grantsCoverByWholeSegment(String grant, String key, boolean covered) {
    assertEquals(covered, KvPaths.covers(grant, key));
  }

  @Test
  void lookAlikeCodePointsAreNotCovered() {
    // Cyrillic o (U+043E) and a decomposed e-acute are different keys, not spellings of the grant
    assertFalse(KvPaths.covers("orders/", "\u043erders/1"));
    assertFalse(KvPaths.covers("caf\u00e9/", "cafe\u0301/1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/a", "a/", "a//b", "a/./b", "a/../b", "..", ".", "a\u0000b"})
  void malformedKeysAreRefused(String raw) {
    String key = raw;
    assertTrue(KvPaths.problem(key) != null, key);
    CsException e = assertThrows(CsException.class, () -> KvPaths.requireKey("key", key));
    assertEquals("key", e.details().getString("path"));
  }

  @Test
  void dotSegmentsMakeTheTraversalKeyInvalidEvenWhenAGrantWouldCoverIt() {
    assertTrue(KvPaths.covers("orders/", "orders/../billing"));
    assertTrue(KvPaths.problem("orders/../billing") != null, "refused before any grant is consulted");
    assertTrue(KvPaths.hasDotSegment("orders/../billing"));
    assertTrue(KvPaths.hasDotSegment("./orders"));
    assertTrue(KvPaths.hasDotSegment("orders/.."));
    assertFalse(KvPaths.hasDotSegment("orders/.hidden/..x"), "dots inside a segment are ordinary characters");
  }

  @Test
  void keysHaveAByteLimit() {
    assertNull(KvPaths.problem("k".repeat(KvPaths.MAX_KEY_BYTES)));
    assertTrue(KvPaths.problem("k".repeat(KvPaths.MAX_KEY_BYTES + 1)) != null);
    assertTrue(KvPaths.problem("\u00e9".repeat(KvPaths.MAX_KEY_BYTES / 2 + 1)) != null);
  }

  @Test
  void listingMustStayInsideTheGrant() {
    assertTrue(KvPaths.coversListing("orders/", "orders/"));
    assertTrue(KvPaths.coversListing("orders/", "orders"));
    assertTrue(KvPaths.coversListing("orders/", "orders/2024/"));
    assertFalse(KvPaths.coversListing("orders/", "ord"));
    assertFalse(KvPaths.coversListing("orders/", ""));
    assertFalse(KvPaths.coversListing("orders/", "orders-"));
  }

  @Test
  void manifestGrantsAreValidatedAsPaths() {
    JsonObject bad = new JsonObject().put("capabilities", new JsonObject().put("kv",
        new JsonObject().put("write", new JsonArray().add("ok/").add("a//b"))));
    CsException e = assertThrows(CsException.class, () -> Manifest.parse(bad));
    assertEquals("manifest.capabilities.kv.write[1]", e.details().getString("path"));
    JsonObject good = new JsonObject().put("capabilities", new JsonObject().put("kv",
        new JsonObject().put("read", new JsonArray().add("orders/").add("config"))));
    assertEquals(good.getJsonObject("capabilities"), Manifest.parse(good).document().getJsonObject("capabilities"));
  }
}
