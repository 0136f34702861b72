package io.codesous.http;

import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/** Reading JSON request bodies strictly: right media type, an object, no unknown members. */
public final class JsonBodies {

  private JsonBodies() {
  }

  /**
   * @param allowed the members the route understands; any other is a validation error naming it
   * @throws CsException 415 without a JSON content type, 400 for anything but a JSON object
   */
  public static JsonObject object(RoutingContext ctx, Set<String> allowed) {
    String type = ctx.request().getHeader("content-type");
    if (type == null || !type.toLowerCase().contains("json")) {
      throw new CsException(ErrorCode.CS_UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
    }
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw CsException.validation("body", "must be a JSON object");
    }
    JsonObject json;
    try {
      json = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw CsException.validation("body", "must be a JSON object");
    }
    for (String field : json.fieldNames()) {
      if (!allowed.contains(field)) {
        throw CsException.validation(field, "unknown field");
      }
    }
    return json;
  }

  public static void ok(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
