package io.codesous.spec.cadence;

/**
 * A non-retryable Cadence activity failure: the poller may not invoke the function through the cadence trigger (CS_FORBIDDEN). Its class name is the failure's {@code reason}, so a Java
 * workflow lists it in {@code RetryOptions.setDoNotRetry} and catches it as the cause of an
 * {@code ActivityFailureException}. The reasons are listed in {@code spec/cadence.md}.
 */
public class Forbidden extends RuntimeException {

  public Forbidden() {
    super();
  }

  public Forbidden(String message) {
    super(message);
  }
}
