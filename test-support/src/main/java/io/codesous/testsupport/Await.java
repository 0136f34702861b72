package io.codesous.testsupport;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounded blocking waits on Vert.x futures and on conditions, for test threads only (never on a Vert.x thread: it
 * would block the loop the future needs).
 *
 * <p>A hang fails the test with an {@link AssertionError} after {@link #TIMEOUT} instead of
 * stalling the build; the bound is generous so that a loaded machine slows a test down rather
 * than failing it. An unexpected failure is an {@link AssertionError} whose cause is the
 * future's.
 */
public final class Await {

  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Await() {
  }

  /** The future's result; fails the test when it failed or did not complete in time. */
  public static <T> T await(Future<T> future) {
    try {
      return get(future);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    }
  }

  /** The cause the future failed with; fails the test when it succeeded or did not complete. */
  public static Throwable awaitFailure(Future<?> future) {
    Object result;
    try {
      result = get(future);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure, got success with " + result);
  }

  /** The failure, which must be of the expected type. */
  public static <E extends Throwable> E awaitFailure(Future<?> future, Class<E> expected) {
    return assertInstanceOf(expected, awaitFailure(future));
  }

  /**
   * Returns once {@code condition} holds, checking it every few milliseconds; fails the test, naming {@code what} it
   * waited for, when it still does not hold after {@link #TIMEOUT}.
   */
  public static void until(BooleanSupplier condition, String what) {
    present(() -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), () -> what);
  }

  /**
   * The first value {@code probe} finds, asking it every few milliseconds; fails the test with {@code what} (asked
   * only then, so it can describe the state it found) when it found none within {@link #TIMEOUT}.
   */
  public static <T> T present(Supplier<Optional<T>> probe, Supplier<String> what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      Optional<T> found = probe.get();
      if (found.isPresent()) {
        return found.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + TIMEOUT.toSeconds() + " s for: " + what.get());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what.get(), e);
      }
    }
  }

  private static <T> T get(Future<T> future) throws ExecutionException {
    try {
      return future.toCompletionStage().toCompletableFuture()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }
}
