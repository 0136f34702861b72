package io.codesous.codeq;

/** The queue could not take or hand out a message. */
public class CodeQException extends RuntimeException {

  public CodeQException(String message) {
    super(message);
  }

  public CodeQException(String message, Throwable cause) {
    super(message, cause);
  }
}
