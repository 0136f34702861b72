package io.codesous.runtime;

/**
 * Told of each log entry an activation keeps, in order, as it is kept (the truncation marker included, nothing after
 * it): the way to show a function's log while it still runs. Called on the activation's thread while the activation's
 * log is locked, so an implementation only hands the entry on (to a queue, say) and returns at once.
 */
@FunctionalInterface
public interface LogListener {

  /** Listens to nothing. */
  LogListener NONE = entry -> { };

  void kept(LogEntry entry);
}
