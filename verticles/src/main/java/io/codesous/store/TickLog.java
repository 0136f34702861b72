package io.codesous.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A schedule's recent ticks as the state stores them: one string, newest first, a tick per {@code ;}-separated
 * entry of {@code at,lag,outcome[,count]}. {@code at} is the tick's scheduled time in epoch milliseconds for the
 * newest entry and, for each older one, how many milliseconds before the entry newer than it it was scheduled (a
 * tick released from a buffer is recorded after ticks scheduled later, so this can be negative); {@code lag} is how
 * late it fired, empty when it did not run; {@code outcome} is one letter ({@code f} fired, {@code c} caught up,
 * {@code s} skipped for overlap, {@code b} buffered, {@code m} missed, {@code l} lost: fired, but its run never got
 * into the queue); {@code count} is the number of missed ticks an entry stands for.
 *
 * <p>Why a string: every step of a schedule parses its whole document and writes it again, and the history is most
 * of it. As a JSON list of lists it was three quarters of the values a step parsed, and at ten thousand schedules a
 * second parsing documents took a quarter of the scheduler's CPU; a string is one value to parse and to write. Why
 * the offsets and letters: the document's length is what the KV's compare-and-set costs (the Redis script's time
 * per schedule grew with it, about 5 µs per KB), and they make an entry of a schedule ticking every second 11 bytes
 * rather than 24.
 */
final class TickLog {

  private static final char SEPARATOR = ';';
  private static final Map<String, String> LETTERS = Map.of("fired", "f", "caught_up", "c", "skipped_overlap", "s",
      "buffered", "b", "missed", "m", "lost", "l");
  private static final Map<String, String> OUTCOMES = Map.of("f", "fired", "c", "caught_up", "s", "skipped_overlap",
      "b", "buffered", "m", "missed", "l", "lost");

  private TickLog() {
  }

  /**
   * A log as a schedule's live state holds it between ticks: its text, how many entries it holds and whether its
   * text can be written into JSON as it is. A tick adds an entry in front and, once the log holds {@code kept}, drops
   * the oldest: knowing the count, it cuts at the last separator instead of walking the entries to find the end of
   * the newest {@code kept - 1}; knowing the text plain, the state's encoding copies it instead of checking each
   * character for escapes. Both were about a tenth of a tick's CPU in the scheduler's lanes (a profile of
   * {@code bench/run.sh --schedules 10000 --shapes embedded}): a log of fifty entries is about 550 characters.
   *
   * @param plain whether {@code text} holds no character JSON escapes (every log this class writes from a plain
   *              one is plain; a stored one is checked once when read)
   */
  record Held(String text, int entries, boolean plain) {

    static final Held EMPTY = new Held("", 0, true);

    /** A log as stored: its entries counted and its characters checked once. */
    static Held of(String text) {
      int entries = text.isEmpty() ? 0 : 1;
      boolean plain = true;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == SEPARATOR) {
          entries++;
        } else if (LiveState.escapedInJson(c)) {
          plain = false;
        }
      }
      return new Held(text, entries, plain);
    }

    /** This log with a tick added in front, keeping the newest {@code kept}. */
    Held prepend(long scheduledAt, Long lag, String outcome, Long count, int kept) {
      int end;
      if (entries == 0 || kept <= 1) {
        end = 0;
      } else if (entries < kept) {
        end = text.length();
      } else if (entries == kept) {
        // full: the oldest entry goes, and the newest kept - 1 end at the last separator
        end = text.lastIndexOf(SEPARATOR);
      } else {
        end = endOfNewest(text, kept - 1);
      }
      return new Held(prependUpTo(text, end, scheduledAt, lag, outcome, count), Math.min(entries + 1, kept),
          plain);
    }

    /** {@link TickLog#markLost} on this log; itself when nothing changed. */
    Held markLost(long scheduledAt) {
      String marked = TickLog.markLost(text, scheduledAt);
      return marked.equals(text) ? this : new Held(marked, entries, plain);
    }
  }

  /** The ticks of {@code log}, newest first, each {@code [scheduled_at_ms, lag, outcome (, count)]}. */
  static List<String[]> read(String log) {
    List<String[]> ticks = new ArrayList<>();
    walk(log, (start, end, at) -> {
      String[] t = log.substring(start, end).split(",", -1);
      t[0] = Long.toString(at);
      t[2] = OUTCOMES.getOrDefault(t[2], t[2]);
      return ticks.add(t);
    });
    return ticks;
  }

  /** What {@link #walk} hands each entry to. */
  @FunctionalInterface
  private interface EntryVisitor {

    /**
     * An entry of the log: its text is {@code [start, end)}, {@code at} its tick's scheduled time decoded.
     *
     * @return whether to go on to the next, older entry
     */
    boolean visit(int start, int end, long at);
  }

  /** Visits the entries of {@code log} newest first, each with its scheduled time decoded from the offsets. */
  private static void walk(String log, EntryVisitor visitor) {
    long newer = 0;
    int start = 0;
    while (start < log.length()) {
      int end = log.indexOf(SEPARATOR, start);
      if (end < 0) {
        end = log.length();
      }
      long value = Long.parseLong(log, start, log.indexOf(',', start), 10);
      long at = start == 0 ? value : newer - value;
      if (!visitor.visit(start, end, at)) {
        return;
      }
      newer = at;
      start = end + 1;
    }
  }

  /** The log of {@code ticks} given newest first as {@link #read} answers them. */
  static String write(List<String[]> ticks) {
    StringBuilder log = new StringBuilder();
    long newer = 0;
    for (String[] t : ticks) {
      long at = Long.parseLong(t[0]);
      if (!log.isEmpty()) {
        log.append(SEPARATOR);
      }
      append(log, log.isEmpty() ? at : newer - at, t[1].isEmpty() ? null : Long.parseLong(t[1]), t[2],
          t.length > 3 ? Long.parseLong(t[3]) : null);
      newer = at;
    }
    return log.toString();
  }

  /** A tick added in front of the entries of {@code log} that end at {@code end} (none when it is 0). */
  private static String prependUpTo(String log, int end, long scheduledAt, Long lag, String outcome, Long count) {
    StringBuilder out = new StringBuilder(end + 32);
    append(out, scheduledAt, lag, outcome, count);
    if (end > 0) {
      // the entry that was newest held its time whole; now it is an offset from the new one
      int firstComma = log.indexOf(',');
      long previous = Long.parseLong(log, 0, firstComma, 10);
      out.append(SEPARATOR).append(scheduledAt - previous).append(log, firstComma, end);
    }
    return out.toString();
  }

  /**
   * {@code log} with the run of the tick scheduled at {@code scheduledAt} recorded as lost, its lag kept; the same
   * {@code log} when no tick of it scheduled then ran (it left the history, or was lost already). The log is walked
   * in place and only the outcome's letter replaced: a server whose queue stays full gives up thousands of runs a
   * second, and reading and writing the whole log for each was 4 % of its CPU (a profile of {@code bench/run.sh
   * --schedules 10000 --shapes embedded}).
   */
  static String markLost(String log, long scheduledAt) {
    String[] marked = {log};
    walk(log, (start, end, at) -> {
      if (at != scheduledAt) {
        return true;
      }
      int outcome = log.indexOf(',', log.indexOf(',', start) + 1) + 1;
      int outcomeEnd = log.indexOf(',', outcome);
      if (outcomeEnd < 0 || outcomeEnd > end) {
        outcomeEnd = end;
      }
      if (!ran(log.substring(outcome, outcomeEnd))) {
        return true;
      }
      marked[0] = log.substring(0, outcome) + LETTERS.get("lost") + log.substring(outcomeEnd);
      return false;
    });
    return marked[0];
  }

  /** Whether an outcome as stored (a letter, or a word an older writer left) is a run that started. */
  private static boolean ran(String stored) {
    String outcome = OUTCOMES.getOrDefault(stored, stored);
    return outcome.equals("fired") || outcome.equals("caught_up");
  }

  private static void append(StringBuilder log, long at, Long lag, String outcome, Long count) {
    log.append(at).append(',');
    if (lag != null) {
      log.append(lag.longValue());
    }
    log.append(',').append(LETTERS.getOrDefault(outcome, outcome));
    if (count != null) {
      log.append(',').append(count.longValue());
    }
  }

  /** Where the newest {@code entries} ticks of {@code log} end (its length when it holds no more). */
  private static int endOfNewest(String log, int entries) {
    int at = -1;
    for (int i = 0; i < entries; i++) {
      at = log.indexOf(SEPARATOR, at + 1);
      if (at < 0) {
        return log.length();
      }
    }
    return at;
  }
}
