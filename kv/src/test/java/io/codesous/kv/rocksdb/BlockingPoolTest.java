package io.codesous.kv.rocksdb;

import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.kv.KvException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BlockingPoolTest {

  private static Vertx vertx;
  /** "call thread" of every call run, and "flushed" after each task's calls, in the order they ran. */
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private volatile String flushFailure;
  private final BlockingPool pool = new BlockingPool(4, "test store", () -> new KvException("the store is stopped"),
      () -> {
        if (flushFailure != null) {
          throw new java.io.IOException(flushFailure);
        }
        ran.add("flushed");
        return null;
      });

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    await(vertx.close());
  }

  @AfterEach
  void shutdown() {
    pool.shutdown();
  }

  @Test
  void callsOneEventLoopTurnMakesRunInOrderInOneTaskOfThePool() {
    List<Future<String>> calls = onEventLoop(5);

    List<String> threads = threadsOf(calls);
    assertEquals(List.of("0", "1", "2", "3", "4", "flushed"), ran.stream().map(r -> r.split(" ")[0]).toList());
    assertEquals(1, Set.copyOf(threads).size(), "one turn's calls ran on several threads: " + threads);
    assertTrue(threads.get(0).startsWith("cs-kv-rocksdb-"), threads.get(0));
  }

  @Test
  void aTurnWithManyCallsIsSharedOutInBatchesOfAtMostEight() {
    List<Future<String>> calls = onEventLoop(20);

    List<String> threads = threadsOf(calls);
    // calls 0-7, 8-15 and 16-19 each ran one after another on one thread
    for (int first : List.of(0, 8, 16)) {
      Set<String> batch = Set.copyOf(threads.subList(first, Math.min(20, first + BlockingPool.MAX_BATCH)));
      assertEquals(1, batch.size(), "the batch from call " + first + " ran on " + batch);
    }
    assertEquals(20 + 3, ran.size(), "20 calls and 3 flushes: " + ran);
  }

  @Test
  void aTasksCallsCompleteOnlyOnceItsFlushRan() {
    List<String> seenAtCompletion = new CopyOnWriteArrayList<>();
    Promise<Void> made = Promise.promise();
    List<Future<String>> calls = new ArrayList<>();
    vertx.runOnContext(v -> {
      for (int i = 0; i < 3; i++) {
        Promise<String> answer = Promise.promise();
        pool.run(() -> "done", answer);
        answer.future().onComplete(done -> seenAtCompletion.add(String.join(",", ran)));
        calls.add(answer.future());
      }
      made.complete();
    });
    await(made.future());
    calls.forEach(io.codesous.testsupport.Await::await);

    assertEquals(List.of("flushed", "flushed", "flushed"), seenAtCompletion);
  }

  @Test
  void aFailedFlushFailsEveryCallOfItsTask() {
    flushFailure = "no space left on device";
    List<Future<String>> calls = onEventLoop(3);

    for (Future<String> call : calls) {
      Throwable failure = awaitFailure(call);
      assertInstanceOf(KvException.class, failure);
      assertTrue(failure.getMessage().contains("no space left on device"), failure.getMessage());
    }
  }

  @Test
  void eachCallOfATurnCompletesOnTheContextThatMadeIt() {
    ContextInternal loop = (ContextInternal) vertx.getOrCreateContext();
    ContextInternal first = loop.duplicate();
    ContextInternal second = loop.duplicate();
    Promise<Context> firstCompletedOn = Promise.promise();
    Promise<Context> secondCompletedOn = Promise.promise();
    loop.runOnContext(v -> {
      first.emit(ignored -> callAndNoteTheContext(firstCompletedOn));
      second.emit(ignored -> callAndNoteTheContext(secondCompletedOn));
    });

    assertSame(first, await(firstCompletedOn.future()));
    assertSame(second, await(secondCompletedOn.future()));
  }

  private void callAndNoteTheContext(Promise<Context> completedOn) {
    Promise<String> answer = Promise.promise();
    pool.run(() -> "done", answer);
    answer.future().onComplete(done -> completedOn.complete(Vertx.currentContext()));
  }

  @Test
  void callsFromOutsideAnEventLoopRunAtOnce() {
    Promise<String> answer = Promise.promise();
    pool.run(() -> Thread.currentThread().getName(), answer);

    assertTrue(await(answer.future()).startsWith("cs-kv-rocksdb-"));
  }

  @Test
  void aCallThatThrowsFailsAloneAndTheRestOfItsTurnStillRuns() {
    Promise<String> failing = Promise.promise();
    Promise<String> next = Promise.promise();
    vertx.runOnContext(v -> {
      pool.run(() -> {
        throw new IllegalStateException("disk on fire");
      }, failing);
      pool.run(() -> "ran", next);
    });

    Throwable failure = awaitFailure(failing.future());
    assertInstanceOf(KvException.class, failure);
    assertTrue(failure.getMessage().contains("test store") && failure.getMessage().contains("disk on fire"),
        failure.getMessage());
    assertEquals("ran", await(next.future()));
  }

  @Test
  void callsHandedOverAfterShutdownFailAsStopped() {
    pool.shutdown();
    Promise<String> answer = Promise.promise();
    vertx.runOnContext(v -> pool.run(() -> "never", answer));

    Throwable failure = awaitFailure(answer.future());
    assertEquals("the store is stopped", failure.getMessage());
  }

  /** The threads the calls ran on, in the order the calls were made. */
  private static List<String> threadsOf(List<Future<String>> calls) {
    List<String> threads = new ArrayList<>();
    for (Future<String> call : calls) {
      threads.add(await(call));
    }
    return threads;
  }

  /** Makes {@code count} calls in one turn of an event loop; each answers the thread it ran on. */
  private List<Future<String>> onEventLoop(int count) {
    List<Future<String>> calls = new ArrayList<>();
    Promise<Void> made = Promise.promise();
    vertx.runOnContext(v -> {
      for (int i = 0; i < count; i++) {
        int index = i;
        Promise<String> answer = Promise.promise();
        pool.run(() -> {
          ran.add(index + " " + Thread.currentThread().getName());
          return Thread.currentThread().getName();
        }, answer);
        calls.add(answer.future());
      }
      made.complete();
    });
    await(made.future());
    return calls;
  }
}
