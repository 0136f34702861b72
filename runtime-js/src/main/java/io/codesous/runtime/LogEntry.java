package io.codesous.runtime;

import java.util.Objects;

/**
 * One line written by the function ({@code console.*} or {@code cs.log}).
 *
 * @param seq   0-based position within the activation
 * @param tsMs  wall-clock time of the call, epoch milliseconds
 * @param level one of {@code debug, info, warn, error}
 */
public record LogEntry(int seq, long tsMs, String level, String message) {
  public LogEntry {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(message, "message");
  }
}
