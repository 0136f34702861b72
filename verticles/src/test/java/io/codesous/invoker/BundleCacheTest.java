package io.codesous.invoker;

import static io.codesous.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.runtime.JsRuntime;
import io.codesous.runtime.RuntimeOptions;
import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.model.Manifest;
import io.codesous.store.FunctionStore;
import io.codesous.store.VersionMeta;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The invoker's bundle cache: one load per bundle however many activations miss it at once, on their contexts. */
class BundleCacheTest {

  static final String T = "acme";
  static final String NS = "default";
  static final int POOL_SIZE = 2;

  Vertx vertx;
  InMemoryKvStore kv;
  FunctionStore functions;
  JsRuntime runtime;
  SandboxPool pool;
  SimpleMeterRegistry registry;
  BundleCache cache;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    kv = new InMemoryKvStore(vertx);
    await(kv.start());
    functions = new FunctionStore(kv, System::currentTimeMillis);
    runtime = new JsRuntime(new RuntimeOptions());
    pool = new SandboxPool(vertx, POOL_SIZE, POOL_SIZE, 0);
    pool.open();
    registry = new SimpleMeterRegistry();
    cache = new BundleCache(functions, pool, new VersionPreparation(runtime, pool, 100, false, registry), 16,
        registry);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
    runtime.close();
  }

  private VersionMeta publish(String fn) throws Exception {
    await(functions.create(T, NS, fn));
    BundleFiles bundle = BundleFiles.fromUpload(new JsonObject()
        .put("index.mjs", "export const handler = () => ({ statusCode: 200 });"), 1 << 20);
    JsonObject draft = await(functions.putDraft(T, NS, fn, bundle, Manifest.parse(null), Duration.ofMinutes(5)));
    long version = await(functions.publish(T, NS, fn, draft.getString("draft_id"), null)).getLong("version");
    return await(functions.version(T, NS, fn, version));
  }

  /** Looks the bundle up on {@code context}; completes with the bundle and the context its answer came on. */
  private CompletableFuture<Answer> lookUpOn(Context context, VersionMeta meta) {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    context.runOnContext(v -> cache.bundle(T, NS, "herd", meta).onComplete(result -> answer.complete(
        new Answer(result.result(), Vertx.currentContext()))));
    return answer;
  }

  private record Answer(BundleFiles bundle, Context context) {
  }

  @Test
  void twoActivationsMissingTogetherShareOneLoadAndEachContinuesOnItsOwnContext() throws Exception {
    VersionMeta meta = publish("herd");
    // Every worker of the pool busy, so the first load waits to decode and the second lookup finds it in flight.
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < POOL_SIZE; i++) {
      vertx.getOrCreateContext().runOnContext(v -> pool.run(() -> release.await(30, TimeUnit.SECONDS)));
    }
    Context first = vertx.getOrCreateContext();
    Context second = vertx.getOrCreateContext();

    CompletableFuture<Answer> firstAnswer = lookUpOn(first, meta);
    waitForMisses(1);
    CompletableFuture<Answer> secondAnswer = lookUpOn(second, meta);
    waitForHits(1);
    assertFalse(firstAnswer.isDone() || secondAnswer.isDone(), "the load waits for a worker");
    release.countDown();

    Answer one = firstAnswer.get(30, TimeUnit.SECONDS);
    Answer other = secondAnswer.get(30, TimeUnit.SECONDS);
    assertSame(one.bundle(), other.bundle(), "one load, its bundle handed to both");
    assertSame(first, one.context());
    assertSame(second, other.context(), "the activation that waited continues on its own context");
    assertEquals(1.0, counter("miss"));
    assertEquals(1.0, counter("hit"));

    // loaded: the next lookup is answered from the cache
    Answer later = lookUpOn(second, meta).get(30, TimeUnit.SECONDS);
    assertSame(one.bundle(), later.bundle());
    assertEquals(1.0, counter("miss"));
    assertEquals(2.0, counter("hit"));
  }

  private double counter(String result) {
    return registry.counter("cs.cache.requests", "cache", "bundle", "result", result).count();
  }

  private void waitForMisses(double n) throws InterruptedException {
    awaitCount("miss", n);
  }

  private void waitForHits(double n) throws InterruptedException {
    awaitCount("hit", n);
  }

  private void awaitCount(String result, double n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (counter(result) < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(n, counter(result), result);
  }
}
