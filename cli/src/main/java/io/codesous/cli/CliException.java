package io.codesous.cli;

/**
 * A failure that ends a command with a message on stderr and a chosen exit code, so scripts can
 * tell bad input ({@link #USAGE}) and refused credentials ({@link #DENIED}) from other failures.
 */
final class CliException extends Exception {

  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int DENIED = 3;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause, false, false);
    this.exitCode = exitCode;
  }

  /** Bad input; the message should name the option or argument at fault. */
  static CliException usage(String message) {
    return new CliException(USAGE, message);
  }

  int exitCode() {
    return exitCode;
  }
}
