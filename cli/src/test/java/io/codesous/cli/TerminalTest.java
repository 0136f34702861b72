package io.codesous.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminalTest {

  private static final String ESC = "\u001b[";
  private static final JsonArray ROWS = new JsonArray()
      .add(new JsonObject().put("id", "a1").put("status", "success"))
      .add(new JsonObject().put("id", "a2").put("status", "error"));

  @Test
  void aTerminalGetsColouredStatuses() {
    boolean colour = Terminal.colour(true, Map.of());
    assertTrue(colour);
    String table = Tables.render(ROWS, List.of("id", "status"), colour);
    assertTrue(table.contains(ESC + "32msuccess"), table);
    assertTrue(table.contains(ESC + "31merror"), table);
  }

  @Test
  void noColorTurnsColourOffOnATerminalWhateverItsValue() {
    assertFalse(Terminal.colour(true, Map.of("NO_COLOR", "1")));
    assertFalse(Terminal.colour(true, Map.of("NO_COLOR", "")));
    String table = Tables.render(ROWS, List.of("id", "status"), Terminal.colour(true, Map.of("NO_COLOR", "")));
    assertFalse(table.contains(ESC), table);
  }

  @Test
  void aPipeGetsNoEscapeCodes() {
    assertFalse(Terminal.colour(false, Map.of()));
    assertEquals("success", Terminal.status("success", false));
  }

  @Test
  void colouredAndPlainTablesAlignTheSameColumns() {
    String plain = Tables.render(ROWS, List.of("id", "status"), false);
    String coloured = Tables.render(ROWS, List.of("id", "status"), true).replaceAll("\u001b\\[[0-9]+m", "");
    assertEquals(plain, coloured);
  }
}
