package io.codesous.http;

import io.codesous.observe.LogContext;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code x-request-id} when it is well-formed (so ids
 * can be carried across systems), a fresh one otherwise. Every response carries it back.
 */
public final class RequestIds {

  public static final String HEADER = "x-request-id";
  private static final String KEY = "cs.request_id";
  private static final Pattern ACCEPTED = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");

  private RequestIds() {
  }

  /** Route handler: runs first on every route. */
  public static void assign(RoutingContext ctx) {
    String incoming = ctx.request().getHeader(HEADER);
    String id = incoming != null && ACCEPTED.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    LogContext.put(LogContext.REQUEST_ID, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id != null ? id : "unknown";
  }
}
