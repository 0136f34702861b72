package io.codesous.runtime;

/** How a sandboxed execution ended. */
public enum ExecutionStatus {
  /** The handler settled with a valid response. */
  SUCCESS,
  /** The handler threw, rejected, returned an invalid response, or the module failed to load. */
  ERROR,
  /** The deadline passed first (including a promise that never settles). */
  TIMEOUT,
  /** The activation went past its memory budget. */
  MEMORY_LIMIT,
  /** Someone asked for the activation to stop ({@link JsRuntime#cancel(String, String, String)}) before it ended. */
  CANCELLED
}
