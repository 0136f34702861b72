package io.codesous.codeq;

/** The queue could not take or hand out a message. */
public class CodeQException extends RuntimeException {

  public CodeQException(String message) {
    super(message);
  }

  public CodeQException(String message, Throwable cause) {
    super(message, cause);
  }

  private CodeQException(String message, boolean stackTrace) {
    super(message, null, false, stackTrace);
  }

  /**
   * A refusal the queue gives under load (a full topic), without a stack trace: where it is thrown says nothing its
   * message does not, and a full in-JVM queue refusing thousands of publishes a second spent 3.5% of the process's
   * CPU filling stack traces in (a profile of {@code bench/run.sh --schedules 10000 --shapes embedded}).
   */
  public static CodeQException refusal(String message) {
    return new CodeQException(message, false);
  }
}
