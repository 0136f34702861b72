package io.codesous.codeq;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded blocking waits on Vert.x futures, for test threads only. */
public final class Await {

  /** Generous so that a loaded machine slows a test down instead of failing it. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Await() {
  }

  public static <T> T result(Future<T> future) throws InterruptedException {
    try {
      return future.toCompletionStage().toCompletableFuture()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + TIMEOUT, e);
    }
  }

  /** @return the cause of the expected failure */
  public static Throwable failure(Future<?> future) throws InterruptedException {
    try {
      Object value = future.toCompletionStage().toCompletableFuture()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return fail("expected a failure, got success with " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + TIMEOUT, e);
    }
  }
}
