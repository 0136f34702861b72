package io.codesous.cadence;

import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.model.ActivationStatus;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How an activation's end becomes a Cadence answer. A success completes the activity with the handler's return
 * value, JSON-encoded. Anything else fails it with one of a fixed set of {@code reason}s (spec/cadence.md) and
 * {@code details} = {@code {"code","message","retryable"}} as JSON. The split between retryable and non-retryable
 * follows the activity wrappers that came before: what another attempt may cure (a timeout, memory, a thrown
 * exception, an unavailable backend) is retryable; what it cannot (a refused call, a missing function, a function
 * that says so with {@code cs.NonRetryableError}) is not, and a workflow lists those reasons in its RetryPolicy's
 * {@code nonRetriableErrorReasons}. The non-retryable reasons are spelled as Java class names because the Java
 * client reads a reason as the name of the exception class to rethrow, and its {@code RetryOptions.setDoNotRetry}
 * takes classes; code-sous ships those classes in {@code io.codesous.spec.cadence}.
 */
public final class FailureReasons {

  public static final String TIMEOUT = "timeout";
  public static final String MEMORY_LIMIT = "memory_limit";
  public static final String RUNTIME_EXCEPTION = "runtime_exception";
  public static final String UNAVAILABLE = "unavailable";
  /**
   * Cancelled through the API while Cadence had not asked for it: Cadence takes {@code RespondActivityTaskCanceled}
   * only for an activity whose cancel it requested (the test service refuses it as an invalid transition), so such an
   * activity fails with this reason.
   */
  public static final String CANCELLED = "cancelled";
  public static final String NON_RETRYABLE_ERROR = "io.codesous.spec.cadence.NonRetryableError";
  public static final String VALIDATION_FAILED = "io.codesous.spec.cadence.ValidationFailed";
  public static final String FORBIDDEN = "io.codesous.spec.cadence.Forbidden";
  public static final String CAPABILITY_DENIED = "io.codesous.spec.cadence.CapabilityDenied";
  public static final String NOT_FOUND = "io.codesous.spec.cadence.NotFound";
  /** The reasons a workflow should never retry: its RetryPolicy's {@code nonRetriableErrorReasons}. */
  public static final List<String> NON_RETRYABLE = List.of(NON_RETRYABLE_ERROR, VALIDATION_FAILED, FORBIDDEN,
      CAPABILITY_DENIED, NOT_FOUND);
  /** The message prefix of an error a function throws as {@code new cs.NonRetryableError(message)}. */
  static final String NON_RETRYABLE_PREFIX = "NonRetryableError: ";

  /** A failed activity: what {@code RespondActivityTaskFailed} carries. */
  public record Failure(String reason, String code, String message) {
    public boolean retryable() {
      return !NON_RETRYABLE.contains(reason);
    }

    public byte[] details() {
      return new JsonObject().put("code", code).put("message", message).put("retryable", retryable()).encode()
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  private FailureReasons() {
  }

  /** The completion payload: the handler's return value as JSON (the body the runtime encoded for a Cadence trigger). */
  public static byte[] completion(InvocationResult result) {
    JsonObject response = result.response();
    String body = response == null ? "null" : response.getString("body", "null");
    return body.getBytes(StandardCharsets.UTF_8);
  }

  public static Failure failure(InvocationResult result) {
    JsonObject error = result.error() == null ? new JsonObject() : result.error();
    ErrorCode code = code(error.getString("code"), result.status());
    String message = error.getString("message", code.name());
    return new Failure(reason(code, message), code.name(), message);
  }

  /** A failure the poller decides itself, before or without an activation (an unmapped activity type, say). */
  public static Failure failure(ErrorCode code, String message) {
    return new Failure(reason(code, message), code.name(), message);
  }

  private static ErrorCode code(String wire, ActivationStatus status) {
    if (wire != null) {
      try {
        return ErrorCode.valueOf(wire);
      } catch (IllegalArgumentException unknown) {
        // a code from a newer invoker: fall back to the status's own
      }
    }
    return status.defaultError() == null ? ErrorCode.CS_INTERNAL : status.defaultError();
  }

  private static String reason(ErrorCode code, String message) {
    return switch (code) {
      case CS_TIMEOUT -> TIMEOUT;
      case CS_MEMORY_LIMIT -> MEMORY_LIMIT;
      case CS_RUNTIME_EXCEPTION -> message.startsWith(NON_RETRYABLE_PREFIX) ? NON_RETRYABLE_ERROR : RUNTIME_EXCEPTION;
      case CS_VALIDATION_FAILED, CS_PAYLOAD_TOO_LARGE -> VALIDATION_FAILED;
      case CS_FORBIDDEN, CS_UNAUTHENTICATED -> FORBIDDEN;
      case CS_CAPABILITY_DENIED -> CAPABILITY_DENIED;
      case CS_NOT_FOUND -> NOT_FOUND;
      case CS_CANCELLED -> CANCELLED;
      default -> UNAVAILABLE;
    };
  }
}
