package io.codesous.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code cs run} prints a result, not a server's log: the platform it starts logs warnings and errors only. What logs
 * through SLF4J or Log4j is at {@code warn} already, by the command line's {@code log4j2.xml} (only {@code cs server}
 * replaces it); what logs through {@code java.util.logging} (the JDK's HTTP client, gRPC) would print its
 * {@code INFO} lines on standard error, so its root logger and handlers are set to {@code WARNING} here.
 */
final class QuietLogs {

  private QuietLogs() {
  }

  static void apply() {
    Logger.getLogger("").setLevel(Level.WARNING);
    for (var handler : Logger.getLogger("").getHandlers()) {
      handler.setLevel(Level.WARNING);
    }
  }
}
