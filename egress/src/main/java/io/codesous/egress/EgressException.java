package io.codesous.egress;

/**
 * A failed fetch. The message is written to be shown to the function: it names only what the
 * function itself asked for (its URL's host, a literal address it typed) and never an address the
 * platform's resolver returned, an internal interface, or a lower-level exception's text.
 */
public final class EgressException extends RuntimeException {

  private final EgressFailure failure;

  public EgressException(EgressFailure failure, String message) {
    // no cause and no stack trace: the message is the whole, function-safe story
    super(message, null, false, false);
    this.failure = failure;
  }

  public EgressFailure failure() {
    return failure;
  }

  public EgressErrorCode code() {
    return failure.code();
  }

  @Override
  public String toString() {
    return failure.code() + " (" + failure + "): " + getMessage();
  }
}
