package io.codesous.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The log entries of one activation, capped by {@link ExecutionLimits#maxLogLines()} and
 * {@link ExecutionLimits#maxLogBytes()} (UTF-8 bytes of the messages).
 *
 * <p>The first entry that would pass either cap is dropped together with every later one, and a single
 * {@code warn} marker takes its place, so the kept entries are always a prefix of what the function logged.
 */
final class LogCollector {

  static final Set<String> LEVELS = Set.of("debug", "info", "warn", "error");

  private final int maxLines;
  private final int maxBytes;
  private final List<LogEntry> entries = new ArrayList<>();
  private final LogListener listener;
  private long bytes;
  private boolean truncated;

  LogCollector(ExecutionLimits limits) {
    this(limits, LogListener.NONE);
  }

  /** @param listener told of each entry kept, in order */
  LogCollector(ExecutionLimits limits, LogListener listener) {
    this.maxLines = limits.maxLogLines();
    this.maxBytes = limits.maxLogBytes();
    this.listener = listener;
  }

  /**
   * Adds one entry.
   *
   * @param message the formatted message, or {@code null} for one already known to be too long to keep
   * @return whether later entries can still be kept, so callers may skip formatting them
   */
  synchronized boolean add(String level, String message, long tsMs) {
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException("unknown log level: " + level);
    }
    if (truncated) {
      return false;
    }
    long size = message == null ? Long.MAX_VALUE : Utf8.length(message);
    if (entries.size() >= maxLines || size > maxBytes - bytes) {
      truncated = true;
      keep(new LogEntry(entries.size(), tsMs, "warn",
          "[cs] log truncated: limit of " + maxLines + " lines / " + maxBytes + " bytes reached"));
      return false;
    }
    bytes += size;
    keep(new LogEntry(entries.size(), tsMs, level, message));
    return true;
  }

  private void keep(LogEntry entry) {
    entries.add(entry);
    listener.kept(entry);
  }

  /** Lines written before the activation began (a module evaluated ahead of it), first and with their own times. */
  void addEarlier(List<LogEntry> earlier) {
    earlier.forEach(entry -> add(entry.level(), entry.message(), entry.tsMs()));
  }

  synchronized List<LogEntry> entries() {
    return List.copyOf(entries);
  }

  synchronized boolean truncated() {
    return truncated;
  }
}
