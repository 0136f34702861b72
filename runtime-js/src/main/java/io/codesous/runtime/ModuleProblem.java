package io.codesous.runtime;

import java.util.Objects;

/**
 * Why a bundle's modules cannot load: the file, the 1-based line and column where the engine stopped (0 when it
 * gave no position, as for an import of a file the bundle lacks, whose message names the file), and the engine's
 * message.
 */
public record ModuleProblem(String file, int line, int column, String message) {

  public ModuleProblem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  /** {@code lib/greet.mjs:3:7: SyntaxError: Expected ...}, the way compilers print it. */
  @Override
  public String toString() {
    return file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + message;
  }
}
