package io.codesous.store;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compact history of a schedule's ticks: what goes in comes out, newest first, bounded. */
class TickLogTest {

  static final long T = 1_764_870_000_000L;

  /** A log's text with a tick added in front, as a state holding {@code log} as stored would write it. */
  static String prepend(String log, long scheduledAt, Long lag, String outcome, Long count, int kept) {
    return TickLog.Held.of(log).prepend(scheduledAt, lag, outcome, count, kept).text();
  }

  @Test
  void aTickOfEverySecondTakesElevenBytesAfterTheNewest() {
    String log = prepend("", T, 200L, "fired", null, 50);
    log = prepend(log, T + 1_000, 231L, "fired", null, 50);
    assertEquals((T + 1_000) + ",231,f;1000,200,f", log);
  }

  /** A history with every outcome, a missed run with its count, and a buffered tick released after a later one. */
  static String everyOutcome() {
    String log = "";
    log = prepend(log, T, 3L, "fired", null, 50);
    log = prepend(log, T + 60_000, null, "missed", 59L, 50);
    log = prepend(log, T + 61_000, null, "buffered", null, 50);
    log = prepend(log, T + 62_000, null, "skipped_overlap", null, 50);
    // the buffered tick is released after a later one was skipped: an older time recorded later
    log = prepend(log, T + 61_000, 1_500L, "fired", null, 50);
    return prepend(log, T + 63_000, 4_000L, "caught_up", null, 50);
  }

  @Test
  void everyOutcomeLagAndCountReadsBackAsItWasRecordedNewestFirst() {
    String log = everyOutcome();
    List<String[]> ticks = TickLog.read(log);
    assertEquals(6, ticks.size());
    assertArrayEquals(new String[] {"" + (T + 63_000), "4000", "caught_up"}, ticks.get(0));
    assertArrayEquals(new String[] {"" + (T + 61_000), "1500", "fired"}, ticks.get(1));
    assertArrayEquals(new String[] {"" + (T + 62_000), "", "skipped_overlap"}, ticks.get(2));
    assertArrayEquals(new String[] {"" + (T + 61_000), "", "buffered"}, ticks.get(3));
    assertArrayEquals(new String[] {"" + (T + 60_000), "", "missed", "59"}, ticks.get(4));
    assertArrayEquals(new String[] {"" + T, "3", "fired"}, ticks.get(5));
    assertEquals(log, TickLog.write(ticks), "written again from what was read, the log is the same");
  }

  @Test
  void onlyTheNewestKeptTicksStay() {
    String log = "";
    for (int i = 0; i < 12; i++) {
      log = prepend(log, T + i * 1_000L, (long) i, "fired", null, 5);
    }
    List<String[]> ticks = TickLog.read(log);
    assertEquals(5, ticks.size());
    for (int k = 0; k < 5; k++) {
      assertEquals(T + (11 - k) * 1_000L, Long.parseLong(ticks.get(k)[0]));
      assertEquals(String.valueOf(11 - k), ticks.get(k)[1]);
    }
  }

  @Test
  void aLostRunRelabelsItsFiredTickAndKeepsItsLagAndTheOtherTicks() {
    String log = prepend("", T, 40L, "fired", null, 50);
    log = prepend(log, T + 1_000, null, "skipped_overlap", null, 50);
    log = prepend(log, T + 2_000, 12L, "fired", null, 50);
    String marked = TickLog.markLost(log, T);
    List<String[]> ticks = TickLog.read(marked);
    assertArrayEquals(new String[] {"" + (T + 2_000), "12", "fired"}, ticks.get(0));
    assertArrayEquals(new String[] {"" + (T + 1_000), "", "skipped_overlap"}, ticks.get(1));
    assertArrayEquals(new String[] {"" + T, "40", "lost"}, ticks.get(2));
    assertEquals(marked, TickLog.markLost(marked, T), "a lost tick stays as it is");
    assertEquals(log, TickLog.markLost(log, T + 1_000), "a tick that did not fire has no run to lose");
    assertEquals(log, TickLog.markLost(log, T - 1_000), "a tick no longer in the history changes nothing");
  }

  @Test
  void aLostRunIsFoundWhereverItsTickStandsAndOnlyItsOutcomeChanges() {
    // the released buffered tick's entry is a negative offset, and its buffered entry has the same time
    String log = everyOutcome();
    for (long at : new long[] {T, T + 61_000, T + 63_000}) {
      List<String[]> expected = TickLog.read(log);
      for (String[] t : expected) {
        if (t[0].equals(Long.toString(at)) && (t[2].equals("fired") || t[2].equals("caught_up"))) {
          t[2] = "lost";
        }
      }
      assertEquals(TickLog.write(expected), TickLog.markLost(log, at), "the tick scheduled at " + at);
    }
    assertEquals(log, TickLog.markLost(log, T + 60_000), "missed ticks have no run to lose");
    assertEquals("" + T + ",3,l", TickLog.markLost("" + T + ",3,fired", T), "a word an older writer left");
  }

  @Test
  void aHeldLogCountsItsEntriesAndDropsTheOldestOnceFullAsOneCountedFromItsTextDoes() {
    String text = "";
    TickLog.Held held = TickLog.Held.EMPTY;
    for (int i = 0; i < 12; i++) {
      String outcome = i % 3 == 0 ? "skipped_overlap" : "fired";
      Long lag = i % 3 == 0 ? null : (long) i;
      text = prepend(text, T + i * 1_000L, lag, outcome, null, 5);
      held = held.prepend(T + i * 1_000L, lag, outcome, null, 5);
      assertEquals(text, held.text(), "after tick " + i);
      assertEquals(Math.min(i + 1, 5), held.entries(), "after tick " + i);
      assertEquals(TickLog.Held.of(text), held, "counted from its text, after tick " + i);
    }
  }

  @Test
  void aStoredLogWithMoreEntriesThanKeptIsCutToTheNewest() {
    String stored = everyOutcome();
    TickLog.Held held = TickLog.Held.of(stored).prepend(T + 64_000, 1L, "fired", null, 3);
    List<String[]> kept = TickLog.read(held.text());
    List<String[]> before = TickLog.read(stored);
    assertEquals(3, held.entries());
    assertEquals(3, kept.size());
    assertArrayEquals(new String[] {"" + (T + 64_000), "1", "fired"}, kept.get(0));
    assertArrayEquals(before.get(0), kept.get(1));
    assertArrayEquals(before.get(1), kept.get(2));
  }

  @Test
  void onlyALogWithCharactersJsonEscapesIsHeldAsNotPlain() {
    assertTrue(TickLog.Held.of(everyOutcome()).plain());
    assertTrue(TickLog.Held.of("").plain());
    TickLog.Held quoted = TickLog.Held.of(T + ",3,f\"x");
    assertFalse(quoted.plain());
    assertFalse(quoted.prepend(T + 1_000, 2L, "fired", null, 50).plain(), "a tick in front keeps the old entries");
    assertFalse(TickLog.Held.of(T + ",3,\u00e9").plain());
  }

  @Test
  void aLostRunMarkedInAHeldLogKeepsItsCountAndAnUnchangedLogIsTheSameHeldLog() {
    TickLog.Held held = TickLog.Held.of(everyOutcome());
    TickLog.Held marked = held.markLost(T);
    assertEquals(TickLog.markLost(everyOutcome(), T), marked.text());
    assertEquals(held.entries(), marked.entries());
    assertSame(held, held.markLost(T + 60_000), "missed ticks have no run to lose");
  }
}
