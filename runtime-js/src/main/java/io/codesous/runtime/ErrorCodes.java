package io.codesous.runtime;

/** The {@link ExecutionResult#errorCode()} values the sandbox produces. */
public final class ErrorCodes {

  /** The handler threw or rejected, returned an invalid response, or the entry module failed to load. */
  public static final String CS_RUNTIME_EXCEPTION = "CS_RUNTIME_EXCEPTION";
  /** The time budget passed first. */
  public static final String CS_TIMEOUT = "CS_TIMEOUT";
  /** The execution went past its memory budget. */
  public static final String CS_MEMORY_LIMIT = "CS_MEMORY_LIMIT";
  /** The activation was cancelled while it ran. */
  public static final String CS_CANCELLED = "CS_CANCELLED";

  private ErrorCodes() {
  }
}
