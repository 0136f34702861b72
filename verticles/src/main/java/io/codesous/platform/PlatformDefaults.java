package io.codesous.platform;

/** The defaults of {@link PlatformOptions}' own settings, each with the reason it has its value. */
public final class PlatformDefaults {

  /**
   * Loopback by default, so a fresh install is not reachable from outside until its operator decides; every API
   * route requires a token, so binding to another address is a configuration choice, not an exposure.
   */
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  /** Local state (signing key, admin token, secrets key, audit log); under the user's home so it survives across working directories. */
  public static final String DEFAULT_DATA_DIR = System.getProperty("user.home") + "/.code-sous";
  /** HTTP server instances: one per event loop the machine can keep busy. */
  public static final int DEFAULT_HTTP_INSTANCES = Math.max(1, Runtime.getRuntime().availableProcessors());

  private PlatformDefaults() {
  }
}
