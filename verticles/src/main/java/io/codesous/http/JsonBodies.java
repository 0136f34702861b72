package io.codesous.http;

import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.validation.Names;
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
    return object(ctx.request().getHeader("content-type"), ctx.body().buffer(), allowed);
  }

  /** {@link #object(RoutingContext, Set)} of a body already read: callable off the request's context. */
  public static JsonObject object(String type, Buffer body, Set<String> allowed) {
    if (type == null || !type.toLowerCase().contains("json")) {
      throw new CsException(ErrorCode.CS_UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
    }
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

  /**
   * The body's {@code name} member when it is a valid name, else {@code null}; never throws. For naming what a
   * create request is about (in its audit event) before the body is validated, which comes after authorization.
   */
  public static String peekName(RoutingContext ctx) {
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return new JsonObject(body).getValue("name") instanceof String name && Names.NAME.matcher(name).matches()
          ? name : null;
    } catch (DecodeException | ClassCastException notAnObject) {
      return null;
    }
  }

  public static void ok(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(line(body));
  }

  /**
   * A JSON answer as one line ending with a newline, so answers printed by {@code curl} one after another in a
   * terminal do not run together with each other or with the prompt.
   */
  public static Buffer line(JsonObject body) {
    return body.toBuffer().appendString("\n");
  }
}
