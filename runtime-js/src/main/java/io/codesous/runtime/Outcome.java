package io.codesous.runtime;

/** What an activation produced, before timings and logs are added. */
record Outcome(ExecutionStatus status, String responseJson, String errorCode, String errorMessage,
               String errorStack) {

  static Outcome success(String responseJson) {
    return new Outcome(ExecutionStatus.SUCCESS, responseJson, null, null, null);
  }

  static Outcome error(String message) {
    return error(message, null);
  }

  static Outcome error(String message, String stack) {
    return new Outcome(ExecutionStatus.ERROR, null, ErrorCodes.CS_RUNTIME_EXCEPTION, message, stack);
  }

  static Outcome of(Termination termination) {
    return new Outcome(termination.status(), null, termination.errorCode(), termination.message(), null);
  }
}
