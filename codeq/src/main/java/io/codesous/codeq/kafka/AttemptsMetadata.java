package io.codesous.codeq.kafka;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Delivery attempt counts carried in the metadata string of a committed offset, so that the
 * member that takes a partition over knows how often the group's handlers already saw the
 * messages at and after the committed offset.
 *
 * <p>Format: {@code cq1;} followed by comma-separated runs {@code first-last=count} (or
 * {@code first=count} for a run of one), where {@code first} and {@code last} are offsets minus
 * the committed offset, ascending. Runs keep the text short when many consecutive messages were
 * seen once (acknowledged after a message that was not). Runs that would make the text longer
 * than {@link #MAX_LENGTH} are left out, highest offsets first: brokers refuse a commit whose
 * metadata exceeds {@code offset.metadata.max.bytes} (4096 by default), and the lowest offsets
 * are the ones delivered again first. Metadata in any other shape (another version, written by
 * another tool) reads as "no attempts known".
 */
final class AttemptsMetadata {

  static final int MAX_LENGTH = 1024;
  private static final String PREFIX = "cq1;";

  private AttemptsMetadata() {
  }

  /** Collects runs in ascending offset order, merging neighbours with the same count. */
  static final class Writer {

    private final long committedOffset;
    private final StringBuilder text = new StringBuilder(PREFIX);
    private long runFirst = -1;
    private long runLast = -1;
    private int runCount;
    private boolean full;

    Writer(long committedOffset) {
      this.committedOffset = committedOffset;
    }

    /** Offsets {@code first..last} (inclusive, not below earlier ones) were seen {@code count} times. */
    void add(long first, long last, int count) {
      if (count < 1 || last < first || full) {
        return;
      }
      if (runCount == count && first == runLast + 1) {
        runLast = last;
        return;
      }
      flush();
      runFirst = first;
      runLast = last;
      runCount = count;
    }

    /** @return the metadata, empty when nothing was seen */
    String finish() {
      flush();
      return text.length() == PREFIX.length() ? "" : text.toString();
    }

    private void flush() {
      if (runCount == 0 || full) {
        return;
      }
      long first = runFirst - committedOffset;
      long last = runLast - committedOffset;
      String item = (text.length() == PREFIX.length() ? "" : ",")
          + (first == last ? Long.toString(first) : first + "-" + last) + "=" + runCount;
      if (text.length() + item.length() > MAX_LENGTH) {
        full = true;
      } else {
        text.append(item);
      }
      runCount = 0;
    }
  }

  /** Counts read back from metadata, by offset; offsets not covered count 0. */
  static final class Runs {

    private record Run(long last, int count) {
    }

    private final NavigableMap<Long, Run> byFirst = new TreeMap<>();

    int count(long offset) {
      Map.Entry<Long, Run> entry = byFirst.floorEntry(offset);
      return entry != null && entry.getValue().last() >= offset ? entry.getValue().count() : 0;
    }

    /** Forgets runs that end below {@code offset}. */
    void dropBelow(long offset) {
      byFirst.entrySet().removeIf(entry -> entry.getValue().last() < offset);
    }

    /** Writes the runs from {@code offset} on. */
    void writeFrom(long offset, Writer writer) {
      for (Map.Entry<Long, Run> entry : byFirst.entrySet()) {
        Run run = entry.getValue();
        if (run.last() >= offset) {
          writer.add(Math.max(entry.getKey(), offset), run.last(), run.count());
        }
      }
    }

    boolean isEmpty() {
      return byFirst.isEmpty();
    }

    private void put(long first, long last, int count) {
      byFirst.put(first, new Run(last, count));
    }
  }

  static Runs decode(long committedOffset, String metadata) {
    Runs runs = new Runs();
    if (metadata == null || !metadata.startsWith(PREFIX) || metadata.length() == PREFIX.length()) {
      return runs;
    }
    long previousLast = -1;
    try {
      for (String item : metadata.substring(PREFIX.length()).split(",")) {
        int equals = item.indexOf('=');
        String range = item.substring(0, equals);
        int dash = range.indexOf('-');
        long first = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
        long last = dash < 0 ? first : Long.parseLong(range.substring(dash + 1));
        int count = Integer.parseInt(item.substring(equals + 1));
        if (first <= previousLast || last < first || count < 1) {
          return new Runs();
        }
        runs.put(committedOffset + first, committedOffset + last, count);
        previousLast = last;
      }
    } catch (RuntimeException malformed) {
      return new Runs();
    }
    return runs;
  }
}
