package io.codesous.spec.cadence;

/**
 * A non-retryable Cadence activity failure: the function's manifest does not grant what it asked for (CS_CAPABILITY_DENIED). Its class name is the failure's {@code reason}, so a Java
 * workflow lists it in {@code RetryOptions.setDoNotRetry} and catches it as the cause of an
 * {@code ActivityFailureException}. The reasons are listed in {@code spec/cadence.md}.
 */
public class CapabilityDenied extends RuntimeException {

  public CapabilityDenied() {
    super();
  }

  public CapabilityDenied(String message) {
    super(message);
  }
}
