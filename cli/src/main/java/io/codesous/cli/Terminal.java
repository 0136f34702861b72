package io.codesous.cli;

import java.util.Map;

/**
 * What the output goes to: tables, colour and progress are for a person at a terminal; a pipe gets JSON and no
 * escape codes. {@code NO_COLOR} (any value, see no-color.org) turns colour off even on a terminal.
 */
final class Terminal {

  private static final String RESET = "\u001b[0m";

  private Terminal() {
  }

  /** Whether this process's output is a terminal: the JDK gives a console only when both ends are one. */
  static boolean attached() {
    return System.console() != null;
  }

  static boolean colour(Map<String, String> env) {
    return colour(attached(), env);
  }

  /** Colour only for a terminal, and never when {@code NO_COLOR} is set, whatever its value (even empty). */
  static boolean colour(boolean attached, Map<String, String> env) {
    return attached && !env.containsKey("NO_COLOR");
  }

  /** The text in the status's colour (green for success, yellow while pending, red otherwise), or as it is. */
  static String status(String status, boolean colour) {
    if (!colour || status == null) {
      return status;
    }
    String code = switch (status) {
      case "success" -> "\u001b[32m";
      case "queued", "running" -> "\u001b[33m";
      default -> "\u001b[31m";
    };
    return code + status + RESET;
  }
}
