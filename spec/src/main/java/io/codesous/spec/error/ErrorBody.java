package io.codesous.spec.error;

import io.vertx.core.json.JsonObject;

/**
 * The one error body shape: {@code {"error":{"code","message","request_id","details"?}}}.
 * Anything that is not a {@link CsException} is reported as {@link ErrorCode#CS_INTERNAL} with
 * the catalog's generic message, so no internal detail (or stack trace) reaches a client.
 */
public final class ErrorBody {

  private ErrorBody() {
  }

  public static JsonObject encode(CsException failure, String requestId) {
    JsonObject error = new JsonObject()
        .put("code", failure.code().name())
        .put("message", failure.getMessage())
        .put("request_id", requestId);
    if (failure.details() != null && !failure.details().isEmpty()) {
      error.put("details", failure.details().copy());
    }
    return new JsonObject().put("error", error);
  }

  /** Maps any failure to a catalog exception; unknown failures become {@code CS_INTERNAL}. */
  public static CsException classify(Throwable failure) {
    Throwable f = failure;
    // futures bridged through CompletableFuture wrap the real failure
    while ((f instanceof java.util.concurrent.CompletionException
        || f instanceof java.util.concurrent.ExecutionException) && f.getCause() != null) {
      f = f.getCause();
    }
    if (f instanceof CsException cs) {
      return cs;
    }
    return new CsException(ErrorCode.CS_INTERNAL, ErrorCode.CS_INTERNAL.summary());
  }
}
