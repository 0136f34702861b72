package io.codesous.runtime;

import java.util.Objects;

/**
 * Why an {@link ExecutionGuard} stopped an activation; it becomes the activation's result whatever the guest was
 * doing at that moment.
 */
record Termination(ExecutionStatus status, String errorCode, String message) {

  Termination {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(message, "message");
  }

  static Termination timeout(long timeoutMs) {
    return new Termination(ExecutionStatus.TIMEOUT, ErrorCodes.CS_TIMEOUT,
        "function exceeded its " + timeoutMs + " ms timeout");
  }

  /** Module evaluation (top-level {@code await} included) did not complete within its budget. */
  static Termination initTimeout(long initTimeoutMs) {
    return new Termination(ExecutionStatus.TIMEOUT, ErrorCodes.CS_TIMEOUT,
        "module evaluation exceeded its " + initTimeoutMs + " ms init budget (limits.initTimeoutMs)");
  }

  /** The activation allocated more than its budget of {@code memoryBytes}. */
  static Termination memoryLimit(long memoryBytes) {
    return new Termination(ExecutionStatus.MEMORY_LIMIT, ErrorCodes.CS_MEMORY_LIMIT,
        "function exceeded its " + describeBytes(memoryBytes) + " memory budget");
  }

  /** {@code "64 MB"} for whole mebibytes, else {@code "1500000 bytes"}. */
  static String describeBytes(long bytes) {
    long mebibyte = 1024L * 1024;
    return bytes % mebibyte == 0 ? (bytes / mebibyte) + " MB" : bytes + " bytes";
  }

  /** The activation was asked to stop ({@link JsRuntime#cancel(String, String, String)}). */
  static Termination cancelled() {
    return new Termination(ExecutionStatus.CANCELLED, ErrorCodes.CS_CANCELLED, "the activation was cancelled");
  }

  static Termination interrupted() {
    return new Termination(ExecutionStatus.ERROR, ErrorCodes.CS_RUNTIME_EXCEPTION,
        "the execution was interrupted");
  }
}
