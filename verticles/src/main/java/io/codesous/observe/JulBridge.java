package io.codesous.observe;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes {@code java.util.logging} to SLF4J, so that a library logging through it (the JDK's own HTTP and
 * security code, Hazelcast with its default logging type) writes lines in the platform's layout, JSON lines
 * included, instead of JUL's two-line console format on standard error.
 *
 * <p>JUL still decides which levels reach the bridge (its root logger stays at {@code INFO}), so a library's
 * {@code FINE} calls cost a level check, as before; Log4j's configuration filters what passes.
 */
public final class JulBridge {

  private JulBridge() {
  }

  /** Replaces JUL's root console handler with the bridge; a second call changes nothing. */
  public static synchronized void install() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }
}
