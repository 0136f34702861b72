package io.codesous.cli;

import io.codesous.platform.ConfigLoader;
import io.codesous.platform.LocalRunner;
import io.codesous.platform.PlatformOptions;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code cs run} runs a bundle on: a {@link LocalRunner} in this process, configured as a server would be
 * (the configuration file and {@code CS_*} environment the server reads), with no server, no port and nothing on
 * disk. Its KV lives as long as the process, so {@code --watch} runs share it.
 */
final class LocalPlatform implements AutoCloseable {

  static final String TENANT = LocalRunner.TENANT;
  static final String NAMESPACE = LocalRunner.NAMESPACE;

  private final LocalRunner runner;

  private LocalPlatform(LocalRunner runner) {
    this.runner = runner;
  }

  static LocalPlatform start() throws CliException {
    try {
      PlatformOptions options = ConfigLoader.load(null, Map.of());
      // the version a run publishes is run at once: preparing it ahead would evaluate its module a second time
      options.getInvoker().setPrepareVersions(false);
      // contexts made ahead for the next activation of the bundle: a run has none (a --watch run has a new bundle)
      options.getRuntime().setPrewarmContexts(0);
      return new LocalPlatform(LocalRunner.start(options).await(60, TimeUnit.SECONDS));
    } catch (Exception failure) {
      throw new CliException(CliException.FAILED, "the local runner did not start: " + failure.getMessage(),
          failure);
    }
  }

  LocalRunner runner() {
    return runner;
  }

  @Override
  public void close() {
    try {
      runner.close();
    } catch (Exception ignored) {
      // the process ends next; nothing is left running that outlives it
    }
  }
}
