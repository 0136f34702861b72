package io.codesous.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogCollectorTest {

  private static LogCollector collector(int maxBytes, int maxLines) {
    return new LogCollector(new ExecutionLimits(maxBytes, maxLines, 1, ExecutionLimits.DEFAULT_MEMORY_BYTES));
  }

  @Test
  void keepsEntriesInOrderWithSequenceNumbers() {
    LogCollector logs = collector(100, 10);

    assertTrue(logs.add("info", "a", 1));
    assertTrue(logs.add("error", "b", 2));

    assertEquals(List.of(new LogEntry(0, 1, "info", "a"), new LogEntry(1, 2, "error", "b")), logs.entries());
    assertFalse(logs.truncated());
  }

  @Test
  void aListenerHearsEachKeptEntryAsItIsKeptUpToTheTruncationMarker() {
    List<LogEntry> heard = new java.util.ArrayList<>();
    LogCollector logs = new LogCollector(
        new ExecutionLimits(100, 2, 1, ExecutionLimits.DEFAULT_MEMORY_BYTES), heard::add);

    logs.add("info", "a", 1);
    assertEquals(List.of(new LogEntry(0, 1, "info", "a")), heard, "heard before the activation ends");
    logs.add("warn", "b", 2);
    logs.add("info", "c", 3);
    logs.add("info", "d", 4);

    assertEquals(logs.entries(), heard);
    assertEquals("[cs] log truncated: limit of 2 lines / 100 bytes reached", heard.get(2).message());
  }

  @Test
  void entriesUpToExactlyTheByteCapAreKept() {
    LogCollector logs = collector(4, 10);

    assertTrue(logs.add("info", "abcd", 1));
    assertTrue(logs.add("info", "", 2));
    assertFalse(logs.add("info", "x", 3));

    assertEquals(List.of("abcd", "", "[cs] log truncated: limit of 10 lines / 4 bytes reached"),
        logs.entries().stream().map(LogEntry::message).toList());
  }

  @Test
  void linesPastTheCapAreReplacedByOneMarker() {
    LogCollector logs = collector(100, 2);

    logs.add("info", "1", 1);
    logs.add("info", "2", 2);
    assertFalse(logs.add("warn", "3", 3));
    assertFalse(logs.add("warn", "4", 4));

    assertEquals(List.of(new LogEntry(0, 1, "info", "1"), new LogEntry(1, 2, "info", "2"),
        new LogEntry(2, 3, "warn", "[cs] log truncated: limit of 2 lines / 100 bytes reached")), logs.entries());
    assertTrue(logs.truncated());
  }

  @Test
  void bytesAreCountedInUtf8() {
    LogCollector logs = collector(5, 10);

    assertTrue(logs.add("info", "€", 1));
    assertFalse(logs.add("info", "€", 2));

    assertEquals(2, logs.entries().size());
    assertTrue(logs.entries().get(1).message().startsWith("[cs] log truncated"));
  }

  @Test
  void messageKnownToBeTooLongTruncates() {
    LogCollector logs = collector(100, 10);

    assertFalse(logs.add("debug", null, 1));

    assertEquals(1, logs.entries().size());
    assertTrue(logs.truncated());
  }

  @Test
  void unknownLevelIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> collector(10, 10).add("fatal", "x", 1));
  }
}
