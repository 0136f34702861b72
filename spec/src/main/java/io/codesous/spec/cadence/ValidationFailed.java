package io.codesous.spec.cadence;

/**
 * A non-retryable Cadence activity failure: the invocation was refused as malformed (CS_VALIDATION_FAILED). Its class name is the failure's {@code reason}, so a Java
 * workflow lists it in {@code RetryOptions.setDoNotRetry} and catches it as the cause of an
 * {@code ActivityFailureException}. The reasons are listed in {@code spec/cadence.md}.
 */
public class ValidationFailed extends RuntimeException {

  public ValidationFailed() {
    super();
  }

  public ValidationFailed(String message) {
    super(message);
  }
}
