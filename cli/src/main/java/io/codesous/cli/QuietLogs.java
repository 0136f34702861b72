package io.codesous.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code cs run} prints a result, not a server's log: the platform it starts logs warnings and errors only. Set before
 * the first logger exists (slf4j-simple reads its level once); {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=info}
 * on the command line still wins.
 */
final class QuietLogs {

  static final String SLF4J_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  private QuietLogs() {
  }

  static void apply() {
    if (System.getProperty(SLF4J_LEVEL) == null) {
      System.setProperty(SLF4J_LEVEL, "warn");
    }
    Logger.getLogger("").setLevel(Level.WARNING);
    for (var handler : Logger.getLogger("").getHandlers()) {
      handler.setLevel(Level.WARNING);
    }
  }
}
