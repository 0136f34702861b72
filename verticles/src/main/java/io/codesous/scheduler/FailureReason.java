package io.codesous.scheduler;

/**
 * What a scheduler's log line says of a failure: its message and the messages of its causes. The stores answer
 * {@code CS_UNAVAILABLE} "state store unavailable" for every way the KV can fail, and the operator reading the
 * warning needs the KV's own reason (a timeout, a refused connection, a full command queue) beside it.
 */
final class FailureReason {

  private FailureReason() {
  }

  static String of(Throwable failure) {
    StringBuilder reason = new StringBuilder(String.valueOf(failure.getMessage()));
    Throwable cause = failure.getCause();
    for (int depth = 0; cause != null && cause != failure && depth < 4; depth++, cause = cause.getCause()) {
      reason.append(" (").append(cause.getMessage()).append(')');
    }
    return reason.toString();
  }
}
