package io.codesous.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions on {@link ExecutionResult}s. */
final class Results {

  private Results() {
  }

  /** Asserts success and returns the response's body. */
  static String assertSuccessBody(ExecutionResult result) {
    assertEquals(ExecutionStatus.SUCCESS, result.status(), () -> "expected success, got " + describe(result));
    assertNull(result.errorCode());
    assertNotNull(result.responseJson());
    return bodyOf(result.responseJson());
  }

  /** Asserts an ERROR with {@code CS_RUNTIME_EXCEPTION} whose message contains {@code fragment}. */
  static ExecutionResult assertRuntimeError(ExecutionResult result, String fragment) {
    assertEquals(ExecutionStatus.ERROR, result.status(), () -> "expected error, got " + describe(result));
    assertEquals(ErrorCodes.CS_RUNTIME_EXCEPTION, result.errorCode());
    assertNull(result.responseJson());
    assertNotNull(result.errorMessage());
    assertTrue(result.errorMessage().contains(fragment),
        () -> "message '" + result.errorMessage() + "' should contain '" + fragment + "'");
    return result;
  }

  static ExecutionResult assertTimeout(ExecutionResult result, long timeoutMs) {
    assertEquals(ExecutionStatus.TIMEOUT, result.status(), () -> "expected timeout, got " + describe(result));
    assertEquals(ErrorCodes.CS_TIMEOUT, result.errorCode());
    assertEquals("function exceeded its " + timeoutMs + " ms timeout", result.errorMessage());
    assertNull(result.responseJson());
    assertNull(result.errorStack());
    return result;
  }

  static String describe(ExecutionResult result) {
    return result.status() + " " + result.errorCode() + " " + result.errorMessage() + " " + result.responseJson();
  }

  /** Reads the {@code body} string out of a normalized response document. */
  static String bodyOf(String responseJson) {
    String marker = "\"body\":\"";
    int at = responseJson.indexOf(marker);
    if (at < 0) {
      fail("no body in " + responseJson);
    }
    StringBuilder body = new StringBuilder();
    for (int i = at + marker.length(); i < responseJson.length(); i++) {
      char c = responseJson.charAt(i);
      if (c == '"') {
        return body.toString();
      }
      if (c != '\\') {
        body.append(c);
        continue;
      }
      char escaped = responseJson.charAt(++i);
      switch (escaped) {
        case 'n' -> body.append('\n');
        case 'r' -> body.append('\r');
        case 't' -> body.append('\t');
        case 'b' -> body.append('\b');
        case 'f' -> body.append('\f');
        case 'u' -> {
          body.append((char) Integer.parseInt(responseJson.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> body.append(escaped);
      }
    }
    throw new AssertionError("unterminated body in " + responseJson);
  }
}
