package io.codesous.cli;

import io.codesous.platform.Components;
import io.codesous.platform.ConfigLoader;
import io.codesous.platform.Platform;
import io.codesous.platform.PlatformOptions;
import io.codesous.platform.VertxFactory;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The platform {@code cs run} runs a bundle on: the embedded shape (in-memory KV, in-JVM queue) in this process, on
 * loopback at a free port, with a data directory of its own that is deleted on close, and no contexts prewarmed.
 * The bundle goes through the real control API, gateway and invoker — same validation, sandbox, limits and answer
 * mapping as a deployment — and nothing else runs (no scheduler, no preparation of versions on publish). Its KV
 * lives as long as the process, so {@code --watch} runs share it.
 */
final class LocalPlatform implements AutoCloseable {

  static final String TENANT = "local";
  static final String NAMESPACE = "default";

  private final Vertx vertx;
  private final Platform platform;
  private final Path dataDir;
  private final ApiClient client;

  private LocalPlatform(Vertx vertx, Platform platform, Path dataDir) {
    this.vertx = vertx;
    this.platform = platform;
    this.dataDir = dataDir;
    this.client = new ApiClient(URI.create("http://" + platform.host() + ":" + platform.port()),
        Optional.of(new TokenSource.Token(platform.security().adminToken().token(), "the local platform")));
  }

  static LocalPlatform start() throws CliException {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("cs-run-");
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot create a temporary data directory: " + e.getMessage(), e);
    }
    Vertx vertx = null;
    try {
      PlatformOptions options = ConfigLoader.load(null, Map.of())
          .setHost("127.0.0.1").setPort(0).setDataDir(dataDir.toString())
          .setComponents(new LinkedHashSet<>(List.of(Components.CONTROL, Components.GATEWAY,
              Components.INVOKER)));
      // a run invokes right after publishing: preparing the version on its announcement would be a second
      // evaluation of the module racing the first invoke for the same two cores, and the invoke prepares it anyway
      options.getInvoker().setPrepareVersions(false);
      // what a run stores lives as long as the process: a store on disk would only add RocksDB's start and files
      options.setKvPersistent(false);
      // contexts made ahead for the next activation of the bundle: a run has none (a --watch run has a new bundle)
      options.getRuntime().setPrewarmContexts(0);
      vertx = VertxFactory.create(options).await(60, TimeUnit.SECONDS);
      Platform platform = Platform.start(vertx, options).await(60, TimeUnit.SECONDS);
      return new LocalPlatform(vertx, platform, dataDir);
    } catch (Exception failure) {
      if (vertx != null) {
        vertx.close();
      }
      delete(dataDir);
      throw new CliException(CliException.FAILED, "the local platform did not start: " + failure.getMessage(),
          failure);
    }
  }

  ApiClient client() {
    return client;
  }

  @Override
  public void close() {
    try {
      platform.stop().compose(v -> vertx.close()).await(20, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // the process ends next; nothing is left running that outlives it
    } finally {
      delete(dataDir);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }
}
