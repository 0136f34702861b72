package io.codesous.cadence;

import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.model.ActivationStatus;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FailureReasonsTest {

  static InvocationResult ended(ActivationStatus status, JsonObject response, JsonObject error) {
    return new InvocationResult("cad-0123456789abcdef0123456789abcdef-1", "r", null, "acme", "default", "fn", 1,
        status, response, error, 0, 1);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "error|CS_RUNTIME_EXCEPTION|Error: boom|runtime_exception|true",
      "error|CS_RUNTIME_EXCEPTION|NonRetryableError: no such account|io.codesous.spec.cadence.NonRetryableError|false",
      "timeout|CS_TIMEOUT|function exceeded its 100 ms timeout|timeout|true",
      "memory_limit|CS_MEMORY_LIMIT|out of memory|memory_limit|true",
      "error|CS_FORBIDDEN|may not invoke|io.codesous.spec.cadence.Forbidden|false",
      "error|CS_NOT_FOUND|version 9 of fn|io.codesous.spec.cadence.NotFound|false",
      "error|CS_VALIDATION_FAILED|bad event|io.codesous.spec.cadence.ValidationFailed|false",
      "error|CS_CAPABILITY_DENIED|not granted|io.codesous.spec.cadence.CapabilityDenied|false",
      "error|CS_UNAVAILABLE|kv down|unavailable|true",
      "error|CS_FROM_THE_FUTURE|new code|runtime_exception|true"})
  void anEndedActivationFailsTheActivityWithItsDocumentedReason(String status, String code, String message,
                                                               String reason, boolean retryable) {
    FailureReasons.Failure failure = FailureReasons.failure(ended(ActivationStatus.fromWire(status), null,
        new JsonObject().put("code", code).put("message", message)));
    assertEquals(reason, failure.reason());
    assertEquals(retryable, failure.retryable());
    JsonObject details = new JsonObject(new String(failure.details(), StandardCharsets.UTF_8));
    assertEquals(message, details.getString("message"));
    assertEquals(retryable, details.getBoolean("retryable"));
  }

  @Test
  void aSuccessCompletesTheActivityWithTheReturnedValuesJson() {
    JsonObject response = new JsonObject().put("statusCode", 200).put("headers", new JsonObject())
        .put("body", "{\"total\":42}").put("isBase64Encoded", false);
    assertEquals("{\"total\":42}", new String(FailureReasons.completion(ended(ActivationStatus.SUCCESS, response,
        null)), StandardCharsets.UTF_8));
  }
}
