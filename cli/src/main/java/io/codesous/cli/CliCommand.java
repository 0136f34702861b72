package io.codesous.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * Base of the commands: turns a {@link CliException} into one line on stderr and its exit code
 * instead of a stack trace, and writes through picocli's writers so callers (and tests) can capture
 * the output.
 */
abstract class CliCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() {
    try {
      return execute();
    } catch (CliException e) {
      err().println("cs: " + e.getMessage());
      return e.exitCode();
    } finally {
      out().flush();
      err().flush();
    }
  }

  /** Runs the command; the result is the exit code. */
  protected abstract int execute() throws CliException;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** The top-level command, which holds the environment and stdin this run sees. */
  Cs root() {
    return (Cs) spec.root().userObject();
  }
}
