package io.codesous.spec.validation;

import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamesTest {

  private static final String NAME_63 = "a" + "b".repeat(62);
  private static final String NAME_64 = "a" + "b".repeat(63);

  static Stream<String> validNames() {
    return Stream.of("a", "z", "a1", "a-b", "abc-123", "x9-", "a--b", "latest", NAME_63);
  }

  @ParameterizedTest
  @MethodSource("validNames")
  void validNamesAreReturnedUnchanged(String name) {
    assertSame(name, Names.requireName("tenant", name));
  }

  @Test
  void lengthBoundaries() {
    assertEquals(1, "a".length());
    assertEquals(63, NAME_63.length());
    assertEquals(64, NAME_64.length());
    assertEquals("a", Names.requireName("f", "a"));
    assertEquals(NAME_63, Names.requireName("f", NAME_63));
    assertInvalid("f", () -> Names.requireName("f", NAME_64));
  }

  static Stream<String> invalidNames() {
    return Stream.of(NAME_64, "A", "aB", "Abc", "1a", "0", "-a", "-", "a:b", "cs:t", "a_b", "a.b", "a b", " a", "a ",
        "a/b", "é", "a\n", "ab\u0000");
  }

  @ParameterizedTest
  @MethodSource("invalidNames")
  @NullAndEmptySource
  void invalidNamesAreRejectedNamingTheField(String name) {
    assertInvalid("namespace", () -> Names.requireName("namespace", name));
  }

  @Test
  void aliasLatestIsReserved() {
    CsException e = assertInvalid("alias", () -> Names.requireAlias("alias", "latest"));
    assertTrue(e.getMessage().contains("reserved"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"prod", "staging", "latest-1", "latests", "v2"})
  void ordinaryAliasesAreAccepted(String alias) {
    assertSame(alias, Names.requireAlias("alias", alias));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Prod", "LATEST", "Latest", "1prod", "-prod", "pr:od"})
  @NullAndEmptySource
  void invalidAliasesFailTheNameRule(String alias) {
    assertInvalid("alias", () -> Names.requireAlias("alias", alias));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abcdefgh", "12345678", "0f8fad5b-d9cb-469f-a165-70867728950e", "a-------",
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
  void validIds(String id) {
    assertSame(id, Names.requireId("activation_id", id));
  }

  @Test
  void idLengthBoundaries() {
    assertEquals("a".repeat(8), Names.requireId("id", "a".repeat(8)));
    assertEquals("a".repeat(64), Names.requireId("id", "a".repeat(64)));
    assertInvalid("id", () -> Names.requireId("id", "a".repeat(7)));
    assertInvalid("id", () -> Names.requireId("id", "a".repeat(65)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ABCDEFGH", "-abcdefgh", "abcd:efgh", "abcd_efgh", "abcd efgh", "abcdefg"})
  @NullAndEmptySource
  void invalidIds(String id) {
    assertInvalid("draft_id", () -> Names.requireId("draft_id", id));
  }

  @Test
  void namesCannotContainTheKvSeparator() {
    // KvKeys relies on this: ':' can only ever be a separator
    for (char c = 0; c < 128; c++) {
      String candidate = "a" + c;
      boolean accepted = Names.NAME.matcher(candidate).matches();
      boolean expected = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      assertEquals(expected, accepted, "char " + (int) c);
    }
  }

  private static CsException assertInvalid(String field, org.junit.jupiter.api.function.Executable call) {
    CsException e = assertThrows(CsException.class, call);
    assertEquals(ErrorCode.CS_VALIDATION_FAILED, e.code());
    assertEquals(new JsonObject().put("path", field), e.details());
    assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
    return e;
  }
}
