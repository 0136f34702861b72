package io.codesous.invoker;

import io.codesous.auth.secret.SecretRedactor;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorRecordTest {

  @Test
  void aShortMessageAndStackAreKeptWhole() {
    assertEquals(new JsonObject().put("code", "CS_RUNTIME_EXCEPTION").put("message", "Error: boom")
            .put("stack", "Error: boom\n    at handler (index.mjs:1:7)"),
        ErrorRecord.of("CS_RUNTIME_EXCEPTION", "Error: boom", "Error: boom\n    at handler (index.mjs:1:7)",
            SecretRedactor.NONE));
  }

  @Test
  void aHugeMessageIsCutAtItsCapWithAMarkerGivingTheOriginalLength() {
    String message = "e".repeat(5 * 1024 * 1024);

    String stored = ErrorRecord.of("CS_RUNTIME_EXCEPTION", message, null, SecretRedactor.NONE).getString("message");

    assertEquals("e".repeat(ErrorRecord.MAX_MESSAGE_CHARS) + " [cs] truncated: 5242880 characters, the first "
        + ErrorRecord.MAX_MESSAGE_CHARS + " kept", stored);
  }

  @Test
  void aHugeStackIsCutAtItsOwnCap() {
    JsonObject error = ErrorRecord.of("CS_RUNTIME_EXCEPTION", "Error", "s".repeat(30 * 1024 * 1024),
        SecretRedactor.NONE);

    assertTrue(error.getString("stack").startsWith("s".repeat(ErrorRecord.MAX_STACK_CHARS) + " [cs] truncated: "
        + (30 * 1024 * 1024) + " characters"), error.getString("stack").substring(ErrorRecord.MAX_STACK_CHARS));
    assertTrue(error.encode().length() < ErrorRecord.MAX_MESSAGE_CHARS + ErrorRecord.MAX_STACK_CHARS + 1024);
  }

  @Test
  void aSecretAcrossTheCapIsRedactedNotCutInHalf() {
    String secret = "s3cr3t-value-that-is-long";
    // the secret starts ten characters before the cap, so a cut first would keep its first ten characters
    String message = "x".repeat(ErrorRecord.MAX_MESSAGE_CHARS - 10) + secret + "y".repeat(100_000);

    String stored = ErrorRecord.of("CS_RUNTIME_EXCEPTION", message, null, new SecretRedactor(List.of(secret)))
        .getString("message");

    assertFalse(stored.contains(secret.substring(0, 10)), stored.substring(ErrorRecord.MAX_MESSAGE_CHARS - 20));
    assertTrue(stored.contains(SecretRedactor.REPLACEMENT), stored.substring(ErrorRecord.MAX_MESSAGE_CHARS - 20));
  }

  @Test
  void aSurrogatePairAtTheCapIsNotSplit() {
    String message = "a".repeat(ErrorRecord.MAX_MESSAGE_CHARS - 1) + "😀" + "b".repeat(10);

    String stored = ErrorRecord.cap(message, ErrorRecord.MAX_MESSAGE_CHARS, SecretRedactor.NONE);

    assertTrue(stored.startsWith("a".repeat(ErrorRecord.MAX_MESSAGE_CHARS - 1) + " [cs] truncated"), stored);
  }
}
