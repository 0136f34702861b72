package io.codesous.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders rows of JSON objects as an aligned text table, one column per member named. */
final class Tables {

  private Tables() {
  }

  /**
   * @param columns members shown, in order; a missing or null member shows {@code -}, a nested value as compact
   *                JSON; a {@code status} column is coloured when {@code colour}
   */
  static String render(JsonArray rows, List<String> columns, boolean colour) {
    List<List<String>> cells = new ArrayList<>();
    int[] widths = new int[columns.size()];
    List<String> header = columns.stream().map(c -> c.toUpperCase(Locale.ROOT)).toList();
    cells.add(header);
    for (Object row : rows) {
      JsonObject json = row instanceof JsonObject o ? o : new JsonObject();
      cells.add(columns.stream().map(c -> cell(json.getValue(c))).toList());
    }
    for (List<String> line : cells) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> line : cells) {
      for (int i = 0; i < widths.length; i++) {
        String text = line.get(i);
        boolean last = i == widths.length - 1;
        String shown = colour && line != header && columns.get(i).equals("status") ? Terminal.status(text, true) : text;
        out.append(shown).append(last ? "" : " ".repeat(widths[i] - text.length() + 2));
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String cell(Object value) {
    if (value == null) {
      return "-";
    }
    if (value instanceof JsonObject o) {
      return o.encode();
    }
    if (value instanceof JsonArray a) {
      return a.encode();
    }
    return value.toString();
  }
}
