package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One runtime, many threads: every execution sees only its own event, ctx, globals and logs. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ConcurrencyTest {

  private static final int THREADS = 8;
  private static final int EXECUTIONS_PER_THREAD = 50;

  private static final String SOURCE = """
      import { twice } from './lib/math.mjs';
      export async function handler(event, ctx) {
        const before = globalThis.owner;
        globalThis.owner = event.n;
        console.log('n', event.n);
        await null;
        cs.log('debug', ctx.activationId);
        return {
          statusCode: 200,
          headers: {'x-n': String(event.n)},
          body: [twice(event.n), ctx.activationId, typeof before, globalThis.owner].join('|'),
        };
      }
      """;

  @Test
  void parallelExecutionsDoNotSeeEachOther() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions())) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        workers.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < EXECUTIONS_PER_THREAD; i++) {
            int n = thread * 1000 + i;
            runAndCheck(runtime, n);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get();
      }
      SourceCacheStats stats = runtime.sourceCacheStats();
      assertEquals(THREADS * EXECUTIONS_PER_THREAD, stats.hits() + stats.misses());
    } finally {
      pool.shutdownNow();
    }
  }

  private static void runAndCheck(JsRuntime runtime, int n) {
    String activationId = "act-" + n;
    InvocationInfo info = new InvocationInfo(activationId, "req-" + n, "acme", "default", "fn", 1, "http", null);
    ExecutionResult result = runtime.execute(TestRequest.entry(SOURCE)
        .file("lib/math.mjs", "export const twice = (x) => x * 2;")
        .bundleId("shared-bundle")
        .event("{\"n\":" + n + "}")
        .info(info)
        .build());

    assertEquals((n * 2) + "|" + activationId + "|undefined|" + n, assertSuccessBody(result));
    assertEquals("{\"statusCode\":200,\"headers\":{\"x-n\":\"" + n + "\"}", result.responseJson()
        .substring(0, result.responseJson().indexOf('}') + 1));
    assertEquals(List.of("n " + n, activationId), result.logs().stream().map(LogEntry::message).toList());
  }
}
