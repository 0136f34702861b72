package io.codesous.http;

import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorBody;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP responses: a catalog code, its status, and the JSON
 * error body. Internal failures are logged with the request id and answered with a generic
 * message; nothing from a Java stack ever reaches a client.
 */
public final class HttpErrors {

  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {
  }

  /** Router failure handler. */
  public static void handleFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    CsException cs;
    if (failure == null) {
      cs = fromStatus(ctx.statusCode());
    } else {
      cs = ErrorBody.classify(failure);
      if (cs.code() == ErrorCode.CS_INTERNAL) {
        LOG.error("request {} failed", RequestIds.of(ctx), failure);
      }
    }
    send(ctx, cs);
  }

  /** Statuses the router produces by itself (no route, wrong method, body too large). */
  static CsException fromStatus(int status) {
    return switch (status) {
      case 404 -> new CsException(ErrorCode.CS_NOT_FOUND, "no such route");
      case 405 -> new CsException(ErrorCode.CS_METHOD_NOT_ALLOWED, "the route does not take this method");
      case 413 -> new CsException(ErrorCode.CS_PAYLOAD_TOO_LARGE, "request body too large");
      case 415 -> new CsException(ErrorCode.CS_UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
      case 400 -> new CsException(ErrorCode.CS_VALIDATION_FAILED, "malformed request");
      default -> new CsException(ErrorCode.CS_INTERNAL, ErrorCode.CS_INTERNAL.summary());
    };
  }

  public static void send(RoutingContext ctx, CsException failure) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(failure.code().httpStatus())
        .putHeader("content-type", "application/json")
        .end(JsonBodies.line(ErrorBody.encode(failure, RequestIds.of(ctx))));
  }
}
