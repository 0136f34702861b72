package io.codesous.codeq.kafka;

import io.codesous.codeq.CodeQException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The adapter's edge: every failure leaves it as a {@link CodeQException}, translated once. */
final class KafkaFailures {

  private KafkaFailures() {
  }

  /** @param action what was attempted, e.g. "publishing to cs.invoke" */
  static CodeQException translate(String action, Throwable failure) {
    if (failure instanceof CodeQException translated) {
      return translated;
    }
    Throwable cause = unwrap(failure);
    String reason = cause.getMessage() == null
        ? cause.getClass().getSimpleName()
        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    return new CodeQException(action + " failed: " + reason, cause);
  }

  /** Walks past the wrappers that futures add, to the exception that says what went wrong. */
  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
