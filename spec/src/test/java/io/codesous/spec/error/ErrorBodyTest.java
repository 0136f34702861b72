package io.codesous.spec.error;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorBodyTest {

  private static final String SECRET = "password=hunter2 host=10.1.2.3";

  @Test
  void encodeHasExactlyTheDocumentedShapeWithDetails() {
    JsonObject details = new JsonObject().put("path", "manifest.limits.timeoutMs");
    CsException failure = new CsException(ErrorCode.CS_VALIDATION_FAILED, "manifest.limits.timeoutMs: too small",
        details);

    JsonObject body = ErrorBody.encode(failure, "req-42");

    assertEquals(Set.of("error"), body.fieldNames());
    JsonObject error = body.getJsonObject("error");
    assertEquals(Set.of("code", "message", "request_id", "details"), error.fieldNames());
    assertEquals("CS_VALIDATION_FAILED", error.getString("code"));
    assertEquals("manifest.limits.timeoutMs: too small", error.getString("message"));
    assertEquals("req-42", error.getString("request_id"));
    assertEquals(new JsonObject().put("path", "manifest.limits.timeoutMs"), error.getJsonObject("details"));
  }

  @Test
  void detailsInTheBodyAreACopy() {
    JsonObject details = new JsonObject().put("path", "files");
    CsException failure = new CsException(ErrorCode.CS_PAYLOAD_TOO_LARGE, "too big", details);

    JsonObject body = ErrorBody.encode(failure, "r");
    JsonObject encodedDetails = body.getJsonObject("error").getJsonObject("details");

    // changing the exception's details after encoding does not change the body ...
    details.put("path", "changed").put("extra", 1);
    assertEquals(new JsonObject().put("path", "files"), encodedDetails);
    // ... and changing the body does not reach the exception
    encodedDetails.put("injected", true);
    assertFalse(failure.details().containsKey("injected"));
  }

  @Test
  void nullDetailsAreOmitted() {
    JsonObject error = ErrorBody.encode(new CsException(ErrorCode.CS_NOT_FOUND, "function f not found"), "r1")
        .getJsonObject("error");
    assertEquals(Set.of("code", "message", "request_id"), error.fieldNames());
    assertEquals("CS_NOT_FOUND", error.getString("code"));
    assertEquals("function f not found", error.getString("message"));
    assertEquals("r1", error.getString("request_id"));
  }

  @Test
  void emptyDetailsAreOmitted() {
    JsonObject error = ErrorBody.encode(new CsException(ErrorCode.CS_CONFLICT, "exists", new JsonObject()), "r2")
        .getJsonObject("error");
    assertFalse(error.containsKey("details"));
    assertEquals(Set.of("code", "message", "request_id"), error.fieldNames());
  }

  @Test
  void codeIsTheEnumName() {
    for (ErrorCode code : ErrorCode.values()) {
      JsonObject error = ErrorBody.encode(new CsException(code, "m"), "r").getJsonObject("error");
      assertEquals(code.name(), error.getString("code"));
    }
  }

  @Test
  void classifyPassesCsExceptionThrough() {
    CsException original = new CsException(ErrorCode.CS_THROTTLED, "slow down", new JsonObject().put("retry", 1));
    assertSame(original, ErrorBody.classify(original));
  }

  @Test
  void classifyPassesCsExceptionSubclassesThrough() {
    CsException sub = new CsException(ErrorCode.CS_FORBIDDEN, "no") {
    };
    assertSame(sub, ErrorBody.classify(sub));
  }

  static Stream<Throwable> foreignFailures() {
    return Stream.of(
        new IllegalStateException(SECRET),
        new NullPointerException(SECRET),
        new RuntimeException(SECRET, new IOException(SECRET)),
        new IOException(SECRET),
        new CompletionException(SECRET, new IllegalArgumentException(SECRET)),
        new AssertionError(SECRET),
        new StackOverflowError(SECRET));
  }

  @ParameterizedTest
  @MethodSource("foreignFailures")
  void classifyTurnsAnythingElseIntoGenericInternal(Throwable failure) {
    CsException classified = ErrorBody.classify(failure);

    assertEquals(ErrorCode.CS_INTERNAL, classified.code());
    assertEquals(ErrorCode.CS_INTERNAL.summary(), classified.getMessage());
    assertNull(classified.details());

    String wire = ErrorBody.encode(classified, "req-x").encode();
    assertFalse(wire.contains("hunter2"), wire);
    assertFalse(wire.contains("10.1.2.3"), wire);
    assertFalse(wire.contains(failure.getClass().getSimpleName()), wire);
    assertEquals(500, ErrorCode.valueOf(ErrorBody.encode(classified, "r").getJsonObject("error").getString("code"))
        .httpStatus());
  }

  @Test
  void classifyNullIsInternal() {
    assertEquals(ErrorCode.CS_INTERNAL, ErrorBody.classify(null).code());
  }

  @Test
  void validationFactoryNamesThePathInMessageAndDetails() {
    CsException e = CsException.validation("files[\"a\"]", "is bad");
    assertEquals(ErrorCode.CS_VALIDATION_FAILED, e.code());
    assertEquals("files[\"a\"]: is bad", e.getMessage());
    assertEquals(new JsonObject().put("path", "files[\"a\"]"), e.details());
  }

  @Test
  void notFoundFactory() {
    CsException e = CsException.notFound("function f");
    assertEquals(ErrorCode.CS_NOT_FOUND, e.code());
    assertEquals("function f not found", e.getMessage());
    assertNull(e.details());
  }

  @Test
  void constructorRejectsNullCodeAndMessage() {
    assertThrows(NullPointerException.class, () -> new CsException(null, "m"));
    assertThrows(NullPointerException.class, () -> new CsException(ErrorCode.CS_INTERNAL, null));
  }

  @Test
  void constructorKeepsCause() {
    IOException cause = new IOException("io");
    CsException e = new CsException(ErrorCode.CS_UNAVAILABLE, "kv down", null, cause);
    assertSame(cause, e.getCause());
    assertTrue(e.getMessage().contains("kv down"));
  }
}
