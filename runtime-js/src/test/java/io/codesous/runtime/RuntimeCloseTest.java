package io.codesous.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Closing a runtime while other threads create contexts and run activations: the close returns, and the activations
 * caught by it end (any status) instead of hanging.
 */
class RuntimeCloseTest {

  private static final int ROUNDS = 15;
  private static final int THREADS = 3;

  @Test
  void closeReturnsWhileContextsAreBeingCreated() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      JsRuntime runtime = new JsRuntime(new RuntimeOptions());
      AtomicInteger executed = new AtomicInteger();
      AtomicReference<Throwable> unexpected = new AtomicReference<>();
      CountDownLatch running = new CountDownLatch(THREADS);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Thread worker = new Thread(() -> {
          running.countDown();
          for (int i = 0; ; i++) {
            // Alternating bundles: some activations create their context, some take a prewarmed one, and the
            // prewarming thread keeps creating contexts in the background.
            ExecutionRequest request = TestRequest.handler("return {statusCode: 200, body: 'ok'};")
                .bundleId("bundle-" + thread + "-" + (i % 4))
                .build();
            try {
              runtime.execute(request);
              executed.incrementAndGet();
            } catch (IllegalStateException closed) {
              return;
            } catch (Throwable e) {
              unexpected.compareAndSet(null, e);
              return;
            }
          }
        }, "close-test-" + t);
        worker.setDaemon(true);
        threads.add(worker);
        worker.start();
      }
      running.await();
      Thread.sleep(20 + round * 7L);
      assertTimeoutPreemptively(Duration.ofSeconds(60), runtime::close, "close() did not return");
      for (Thread worker : threads) {
        worker.join(TimeUnit.SECONDS.toMillis(60));
        assertTrue(!worker.isAlive(), worker.getName() + " did not end after the runtime closed");
      }
      assertEquals(null, unexpected.get(), "an execution failed with something else than the closed runtime");
      assertThrows(IllegalStateException.class, () -> runtime.execute(
          TestRequest.handler("return {statusCode: 200};").build()));
    }
  }
}
