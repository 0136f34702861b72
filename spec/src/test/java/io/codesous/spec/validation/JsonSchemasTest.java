package io.codesous.spec.validation;

import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Same package: {@link JsonSchemas#toPath} is package-private. */
class JsonSchemasTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "#/limits/timeoutMs        | manifest.limits.timeoutMs",
      "/limits/timeoutMs         | manifest.limits.timeoutMs",
      "#/bogus                   | manifest.bogus",
      "#/invoke_http_roles/0     | manifest.invoke_http_roles[0]",
      "#/a/12/b                  | manifest.a[12].b",
      "#/a/0/1                   | manifest.a[0][1]",
      "#/env/a~1b                | manifest.env.a/b",
      "#/env/a~0b                | manifest.env.a~b",
      "#/env/~0~1                | manifest.env.~/",
      // RFC 6901: ~1 is unescaped before ~0, so ~01 is the literal '~1', not '/'
      "#/env/~01                 | manifest.env.~1",
      "#                         | manifest",
      "#/                        | manifest",
      "/                         | manifest",
  })
  void toPathTurnsJsonPointersIntoDottedPaths(String pointer, String expected) {
    assertEquals(expected, JsonSchemas.toPath("manifest", pointer));
  }

  @ParameterizedTest
  @NullAndEmptySource
  void toPathOfNullOrEmptyIsTheRoot(String pointer) {
    assertEquals("manifest", JsonSchemas.toPath("manifest", pointer));
    assertEquals("message", JsonSchemas.toPath("message", pointer));
  }

  @Test
  void toPathUsesTheGivenRoot() {
    assertEquals("message.trigger.type", JsonSchemas.toPath("message", "#/trigger/type"));
  }

  @Test
  void schemasAreLoadedWithTheirNames() {
    assertEquals("manifest.schema.json", JsonSchemas.MANIFEST.name());
    assertEquals("invoke.v1.schema.json", JsonSchemas.INVOKE_V1.name());
    assertEquals("results.v1.schema.json", JsonSchemas.RESULTS_V1.name());
    assertEquals("https://schemas.code-sous.io/manifest.schema.json", JsonSchemas.MANIFEST.schema().getString("$id"));
    assertEquals("https://schemas.code-sous.io/invoke.v1.schema.json", JsonSchemas.INVOKE_V1.schema().getString("$id"));
    assertEquals("https://schemas.code-sous.io/results.v1.schema.json",
        JsonSchemas.RESULTS_V1.schema().getString("$id"));
  }

  @Test
  void schemaAccessorReturnsACopy() {
    JsonObject copy = JsonSchemas.MANIFEST.schema();
    copy.put("additionalProperties", true);
    copy.remove("properties");
    assertEquals(false, JsonSchemas.MANIFEST.schema().getValue("additionalProperties"));
    assertTrue(JsonSchemas.MANIFEST.schema().containsKey("properties"));
    // and validation still uses the original
    assertThrows(CsException.class, () -> JsonSchemas.MANIFEST.validate("manifest", new JsonObject().put("x", 1)));
  }

  @Test
  void validDocumentPasses() {
    assertDoesNotThrow(() -> JsonSchemas.MANIFEST.validate("manifest", new JsonObject()));
    assertDoesNotThrow(() -> JsonSchemas.MANIFEST.validate("manifest",
        new JsonObject().put("limits", new JsonObject().put("timeoutMs", 10))));
  }

  @Test
  void invalidDocumentNamesTheDeepestPathUnderTheGivenRoot() {
    CsException e = assertThrows(CsException.class, () -> JsonSchemas.MANIFEST.validate("doc",
        new JsonObject().put("invoke_http_roles", new JsonArray().add("ok").add("NOT OK"))));
    assertEquals(ErrorCode.CS_VALIDATION_FAILED, e.code());
    assertEquals("doc.invoke_http_roles[1]", e.details().getString("path"));
    assertTrue(e.getMessage().startsWith("doc.invoke_http_roles[1]: "), e.getMessage());
  }

  @ParameterizedTest
  // the schema holds the ceiling of limits.maxTimeoutMs (24 h); the 5-minute default cap is Manifest.parse's
  @ValueSource(ints = {5, 9, 86_400_001, 100_000_000})
  void outOfRangeNamesThePath(int timeoutMs) {
    CsException e = assertThrows(CsException.class, () -> JsonSchemas.MANIFEST.validate("manifest",
        new JsonObject().put("limits", new JsonObject().put("timeoutMs", timeoutMs))));
    assertEquals("manifest.limits.timeoutMs", e.details().getString("path"));
  }

  /**
   * Among errors at the same (deepest) instance location, vert.x's Basic output lists the generic
   * wrapper {@code Property "timeoutMs" does not match schema} first; the specific one ({@code 5 is less than 10}, keyword {@code .../timeoutMs/minimum}) must win over the
   * generic wrapper, so a client can tell "too small" from "too large" from "wrong type".
   */
  @Test
  void outOfRangeReasonNamesTheViolatedBound() {
    CsException tooSmall = assertThrows(CsException.class, () -> JsonSchemas.MANIFEST.validate("manifest",
        new JsonObject().put("limits", new JsonObject().put("timeoutMs", 5))));
    String reason = tooSmall.getMessage().substring("manifest.limits.timeoutMs: ".length());
    assertFalse(reason.contains("does not match schema"), reason);
    assertTrue(reason.contains("10"), "should name the minimum 10: " + reason);

    CsException wrongType = assertThrows(CsException.class, () -> JsonSchemas.MANIFEST.validate("manifest",
        new JsonObject().put("limits", new JsonObject().put("timeoutMs", "5000"))));
    assertTrue(wrongType.getMessage().contains("integer"), "should name the expected type: " + wrongType.getMessage());
  }
}
