package io.codesous.spec.error;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins the catalog: a code's HTTP status is part of the public contract ("changing a code's status is
 * not compatible"). The expected table is written out by hand on purpose; adding a code to the enum
 * without adding a row here fails {@link #tableCoversEveryConstant()}.
 */
class ErrorCodeTest {

  private static final Map<String, Integer> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("CS_VALIDATION_FAILED", 400);
    EXPECTED.put("CS_UNAUTHENTICATED", 401);
    EXPECTED.put("CS_FORBIDDEN", 403);
    EXPECTED.put("CS_CAPABILITY_DENIED", 403);
    EXPECTED.put("CS_NOT_FOUND", 404);
    EXPECTED.put("CS_METHOD_NOT_ALLOWED", 405);
    EXPECTED.put("CS_CONFLICT", 409);
    EXPECTED.put("CS_IDEMPOTENCY_CONFLICT", 409);
    EXPECTED.put("CS_DRAFT_EXPIRED", 410);
    EXPECTED.put("CS_PAYLOAD_TOO_LARGE", 413);
    EXPECTED.put("CS_UNSUPPORTED_MEDIA_TYPE", 415);
    EXPECTED.put("CS_THROTTLED", 429);
    EXPECTED.put("CS_INTERNAL", 500);
    EXPECTED.put("CS_RUNTIME_EXCEPTION", 502);
    EXPECTED.put("CS_MEMORY_LIMIT", 502);
    EXPECTED.put("CS_UNAVAILABLE", 503);
    EXPECTED.put("CS_TIMEOUT", 504);
    EXPECTED.put("CS_EXPIRED", 504);
    EXPECTED.put("CS_CANCELLED", 499);
    EXPECTED.put("CS_RESULT_PENDING", 202);
  }

  static Stream<Arguments> catalog() {
    return EXPECTED.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0} -> HTTP {1}")
  @MethodSource("catalog")
  void codeMapsToPinnedHttpStatus(String code, int expectedStatus) {
    // valueOf also fails when a pinned code was renamed or removed
    assertEquals(expectedStatus, ErrorCode.valueOf(code).httpStatus());
  }

  @Test
  void tableCoversEveryConstant() {
    Set<String> actual = Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toSet());
    assertEquals(EXPECTED.keySet(), actual, "every ErrorCode needs a pinned HTTP status in this test");
    assertEquals(20, EXPECTED.size());
    assertEquals(20, ErrorCode.values().length);
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void codeNameMatchesTheWirePatternOfResultErrors(ErrorCode code) {
    // results.v1.schema.json requires error.code to match ^CS_[A-Z_]+$
    assertTrue(code.name().matches("^CS_[A-Z_]+$"), code.name());
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyCodeHasAGenericSummary(ErrorCode code) {
    assertNotNull(code.summary());
    assertFalse(code.summary().isBlank(), code.name());
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void onlyResultPendingIsASuccessStatus(ErrorCode code) {
    int status = code.httpStatus();
    if (code == ErrorCode.CS_RESULT_PENDING) {
      assertEquals(202, status);
    } else {
      assertTrue(status >= 400 && status <= 599, code + " -> " + status);
    }
  }
}
