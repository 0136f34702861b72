package io.codesous.platform;

import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;

/**
 * A platform started for a test, and what stopping it takes: the one fixture the tests of every
 * module start a real platform with (embedded or against Redis and Kafka, as the options say).
 * Starting and stopping are bounded, so that a hang fails the test instead of stalling the build.
 */
public final class RunningPlatform implements AutoCloseable {

  /** Generous: the first start of a JVM warms the sandbox up on a machine the build shares. */
  private static final long START_SECONDS = 60;
  private static final long STOP_SECONDS = 30;

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Platform platform;

  private RunningPlatform(Vertx vertx, boolean ownsVertx, Platform platform) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.platform = platform;
  }

  /** On a Vert.x of its own, closed with the platform. */
  public static RunningPlatform start(PlatformOptions options) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      return new RunningPlatform(vertx, true, startPlatform(vertx, options));
    } catch (Exception | Error failure) {
      vertx.close().await(STOP_SECONDS, TimeUnit.SECONDS);
      throw failure;
    }
  }

  /** On the test's Vert.x, which the test closes itself. */
  public static RunningPlatform startOn(Vertx vertx, PlatformOptions options) throws Exception {
    return new RunningPlatform(vertx, false, startPlatform(vertx, options));
  }

  private static Platform startPlatform(Vertx vertx, PlatformOptions options) throws Exception {
    return Platform.start(vertx, options).await(START_SECONDS, TimeUnit.SECONDS);
  }

  public Platform platform() {
    return platform;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Stops the platform, then closes its Vert.x when the fixture made it. */
  @Override
  public void close() throws Exception {
    try {
      platform.stop().await(STOP_SECONDS, TimeUnit.SECONDS);
    } finally {
      if (ownsVertx) {
        vertx.close().await(STOP_SECONDS, TimeUnit.SECONDS);
      }
    }
  }
}
