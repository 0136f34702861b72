package io.codesous.spec.error;

/**
 * The stable error catalog. Each code has exactly one HTTP status; clients key on the code, never
 * on the message. Adding a code is compatible; changing a code's status is not.
 */
public enum ErrorCode {
  CS_VALIDATION_FAILED(400, "the request is malformed or a field is out of range"),
  CS_UNAUTHENTICATED(401, "no valid credentials"),
  CS_FORBIDDEN(403, "the principal may not do this"),
  CS_CAPABILITY_DENIED(403, "the function's manifest does not grant this capability"),
  CS_NOT_FOUND(404, "no such resource"),
  CS_METHOD_NOT_ALLOWED(405, "the route does not take this method"),
  CS_CONFLICT(409, "the resource exists or changed concurrently"),
  CS_IDEMPOTENCY_CONFLICT(409, "the idempotency key was used with a different request"),
  CS_DRAFT_EXPIRED(410, "the draft expired before it was published"),
  CS_PAYLOAD_TOO_LARGE(413, "the request body or a field is too large"),
  CS_UNSUPPORTED_MEDIA_TYPE(415, "the body must be application/json"),
  CS_THROTTLED(429, "too many requests"),
  CS_INTERNAL(500, "internal error"),
  CS_RUNTIME_EXCEPTION(502, "the function failed or returned an invalid response"),
  CS_MEMORY_LIMIT(502, "the function exceeded its memory budget"),
  CS_UNAVAILABLE(503, "a backend is unavailable"),
  CS_TIMEOUT(504, "the function exceeded its timeout"),
  CS_EXPIRED(504, "the request waited in the queue past its maximum age and was not run"),
  CS_CANCELLED(499, "the activation was cancelled before it ended"),
  CS_RESULT_PENDING(202, "the activation is still running; poll it by id");

  private final int httpStatus;
  private final String summary;

  ErrorCode(int httpStatus, String summary) {
    this.httpStatus = httpStatus;
    this.summary = summary;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** A generic description, used when there is nothing more specific to say. */
  public String summary() {
    return summary;
  }
}
