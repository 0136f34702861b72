package io.codesous.bench;

import io.codesous.auth.token.AdminToken;
import io.codesous.observe.Metrics;
import io.codesous.platform.Platform;
import io.codesous.platform.PlatformOptions;
import io.codesous.platform.VertxFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;

/**
 * A {@link Platform} in this JVM on a Vert.x of its own, created for the shape and closed with it,
 * so one shape leaves no event loops or timers behind for the next.
 */
final class InProcessPlatform implements RunningShape {

  private static final long STEP_TIMEOUT_SECONDS = 120;

  private final Vertx vertx;
  private final Platform platform;

  private InProcessPlatform(Vertx vertx, Platform platform) {
    this.vertx = vertx;
    this.platform = platform;
  }

  /** As {@code cs server} starts it: Vert.x's own meters and the platform's in one Prometheus registry. */
  static InProcessPlatform start(PlatformOptions options) throws Exception {
    Metrics metrics = new Metrics();
    Vertx vertx = VertxFactory.create(options, metrics).await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    try {
      return new InProcessPlatform(vertx, Platform.start(vertx, options, metrics)
          .await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } catch (Exception e) {
      awaitQuietly("closing the platform's Vert.x", vertx.close());
      throw e;
    }
  }

  Platform platform() {
    return platform;
  }

  @Override
  public int port() {
    return platform.port();
  }

  /** The admin token the platform wrote to its data directory when it started. */
  @Override
  public String token() {
    AdminToken admin = platform.security().adminToken();
    if (admin == null) {
      throw new IllegalStateException("the platform has no admin token: auth.localKey is off");
    }
    return admin.token();
  }

  @Override
  public String diagnostics() {
    return "";
  }

  /** The platform first (it drains its components), then its Vert.x. */
  @Override
  public void close() {
    awaitQuietly("stopping the platform", platform.stop());
    awaitQuietly("closing the platform's Vert.x", vertx.close());
  }

  private static void awaitQuietly(String step, Future<?> future) {
    try {
      future.await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println(step + " failed: " + e);
    }
  }
}
