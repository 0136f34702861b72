package io.codesous.spec.cadence;

/**
 * A non-retryable Cadence activity failure: no function, version or alias for the activity type (CS_NOT_FOUND). Its class name is the failure's {@code reason}, so a Java
 * workflow lists it in {@code RetryOptions.setDoNotRetry} and catches it as the cause of an
 * {@code ActivityFailureException}. The reasons are listed in {@code spec/cadence.md}.
 */
public class NotFound extends RuntimeException {

  public NotFound() {
    super();
  }

  public NotFound(String message) {
    super(message);
  }
}
