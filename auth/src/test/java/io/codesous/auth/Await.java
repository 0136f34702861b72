package io.codesous.auth;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocks a test thread on a future, with a generous bound so a hang fails instead of stalling. */
public final class Await {

  private static final long BOUND_SECONDS = 20;

  private Await() {
  }

  public static <T> T result(Future<T> future) {
    try {
      return future.await(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete", e);
    } catch (Exception e) {
      throw new AssertionError("future failed: " + e, e);
    }
  }

  public static Throwable failure(Future<?> future) {
    try {
      future.await(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete", e);
    } catch (Throwable expected) {
      return future.cause() != null ? future.cause() : expected;
    }
    throw new AssertionError("future succeeded with " + future.result());
  }
}
