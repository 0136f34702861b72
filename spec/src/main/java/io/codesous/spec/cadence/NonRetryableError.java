package io.codesous.spec.cadence;

/**
 * A non-retryable Cadence activity failure: the function threw cs.NonRetryableError. Its class name is the failure's {@code reason}, so a Java
 * workflow lists it in {@code RetryOptions.setDoNotRetry} and catches it as the cause of an
 * {@code ActivityFailureException}. The reasons are listed in {@code spec/cadence.md}.
 */
public class NonRetryableError extends RuntimeException {

  public NonRetryableError() {
    super();
  }

  public NonRetryableError(String message) {
    super(message);
  }
}
