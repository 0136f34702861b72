package io.codesous.spec.error;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A failure with a catalog code. It is what components put into failed futures; the HTTP edge
 * turns it into the error body. Its message is safe to show to the client.
 */
public class CsException extends RuntimeException {

  private final ErrorCode code;
  private final JsonObject details;

  public CsException(ErrorCode code, String message) {
    this(code, message, null, null);
  }

  public CsException(ErrorCode code, String message, JsonObject details) {
    this(code, message, details, null);
  }

  public CsException(ErrorCode code, String message, JsonObject details, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.code = Objects.requireNonNull(code, "code");
    this.details = details;
  }

  public ErrorCode code() {
    return code;
  }

  /** Extra structured facts for the client (e.g. the invalid field's path), or {@code null}. */
  public JsonObject details() {
    return details;
  }

  public static CsException validation(String path, String message) {
    return new CsException(ErrorCode.CS_VALIDATION_FAILED, path + ": " + message, new JsonObject().put("path", path));
  }

  public static CsException notFound(String what) {
    return new CsException(ErrorCode.CS_NOT_FOUND, what + " not found");
  }
}
