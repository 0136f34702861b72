package io.codesous.control;

import io.codesous.spec.error.CsException;
import io.codesous.spec.model.ActivationStatus;
import io.codesous.spec.validation.Names;
import io.vertx.ext.web.RoutingContext;

/** The control API's query and body parameters, each refused with the field it names. */
final class QueryParams {

  static final int DEFAULT_LIST_LIMIT = 50;

  private QueryParams() {
  }

  static boolean flag(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    if (v == null || v.equals("false")) {
      return false;
    }
    if (v.equals("true") || v.isEmpty()) {
      return true;
    }
    throw CsException.validation(name, "must be true or false");
  }

  static int limit(RoutingContext ctx, int max) {
    return limit(ctx, Math.min(DEFAULT_LIST_LIMIT, max), max);
  }

  static int limit(RoutingContext ctx, int absent, int max) {
    String v = ctx.queryParams().get("limit");
    if (v == null) {
      return absent;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw CsException.validation("limit", "must be an integer 1.." + max);
  }

  static ActivationStatus statusParam(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      return ActivationStatus.fromWire(raw);
    } catch (IllegalArgumentException e) {
      throw CsException.validation("status", "must be one of queued, running, success, error, timeout, "
          + "memory_limit, expired, cancelled");
    }
  }

  static long versionParam(String raw, String field) {
    if (raw == null || !Names.VERSION.matcher(raw).matches()) {
      throw CsException.validation(field, "must be a positive integer");
    }
    return Long.parseLong(raw);
  }

  static long positiveLong(Object value, String field, long min) {
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.longValue() >= min) {
      return n.longValue();
    }
    throw CsException.validation(field, "must be an integer >= " + min);
  }
}
