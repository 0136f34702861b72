package io.codesous.control;

import io.codesous.spec.error.CsException;
import io.vertx.core.json.JsonObject;

import java.util.regex.Pattern;

/**
 * The {@code cursor} of a log page: opaque to clients, today the index of the page's first entry in decimal. The
 * store's {@code next} index goes out as {@code next_cursor}, present only when entries follow.
 */
final class LogCursor {

  private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]{0,8}");

  private LogCursor() {
  }

  /** The first entry's index; 0 when absent. */
  static int parse(String cursor) {
    if (cursor == null) {
      return 0;
    }
    if (!INDEX.matcher(cursor).matches()) {
      throw CsException.validation("cursor", "is not a cursor this API gave out (take next_cursor from a page)");
    }
    return Integer.parseInt(cursor);
  }

  static JsonObject toApi(JsonObject page) {
    Object next = page.remove("next");
    return next == null ? page : page.put("next_cursor", next.toString());
  }
}
