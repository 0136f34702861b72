package io.codesous.spec.model;

import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionRefTest {

  @ParameterizedTest
  @CsvSource({"1, 1", "42, 42", "9, 9", "10, 10", "999999999999999999, 999999999999999999"})
  void numbersAreVersions(String ref, long expected) {
    assertEquals(new FunctionRef.Version(expected), FunctionRef.parse("ref", ref));
  }

  @Test
  void latestIsLatest() {
    assertInstanceOf(FunctionRef.Latest.class, FunctionRef.parse("ref", "latest"));
    assertEquals(new FunctionRef.Latest(), FunctionRef.parse("ref", "latest"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"prod", "staging", "v1", "a", "latest-1", "latests", "blue-green"})
  void namesAreAliases(String ref) {
    FunctionRef parsed = FunctionRef.parse("ref", ref);
    assertEquals(new FunctionRef.Alias(ref), parsed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "00", "01", "007", "-1", "+1", "1.5", "1.0", "1e3", " 1", "1 ", "0x10",
      // 19 digits: past Names.VERSION, and not a name either (leading digit) - no NumberFormatException leaks
      "1000000000000000000", "99999999999999999999999",
      "Prod", "LATEST", "Latest", "pr:od", "pr od", "-prod"})
  @NullAndEmptySource
  void anythingElseIsAValidationError(String ref) {
    CsException e = assertThrows(CsException.class, () -> FunctionRef.parse("query.ref", ref));
    assertEquals(ErrorCode.CS_VALIDATION_FAILED, e.code());
    assertEquals(new JsonObject().put("path", "query.ref"), e.details());
    assertTrue(e.getMessage().startsWith("query.ref: "), e.getMessage());
  }

  @Test
  void aliasOf64CharactersIsTooLong() {
    assertEquals(new FunctionRef.Alias("a".repeat(63)), FunctionRef.parse("ref", "a".repeat(63)));
    assertThrows(CsException.class, () -> FunctionRef.parse("ref", "a".repeat(64)));
  }

  @Test
  void variantsAreDistinct() {
    // "1" is a version, never an alias named "1"; "latest" is never an alias
    assertInstanceOf(FunctionRef.Version.class, FunctionRef.parse("ref", "1"));
    assertInstanceOf(FunctionRef.Latest.class, FunctionRef.parse("ref", "latest"));
    assertInstanceOf(FunctionRef.Alias.class, FunctionRef.parse("ref", "prod"));
    assertEquals(1L, ((FunctionRef.Version) FunctionRef.parse("ref", "1")).number());
    assertEquals("prod", ((FunctionRef.Alias) FunctionRef.parse("ref", "prod")).name());
  }
}
