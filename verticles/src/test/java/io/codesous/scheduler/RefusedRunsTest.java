package io.codesous.scheduler;

import io.codesous.store.ScheduleState.Fire;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.codesous.testsupport.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Refused runs wait together for the queue: while it refuses, one run probes it; once it takes that one, the rest
 * follow in the order they were refused; runs that cannot be published before their markers expire are given up.
 */
class RefusedRunsTest {

  static final int LIMIT = 2_000;
  final Vertx vertx = Vertx.vertx();
  final Context loop = vertx.getOrCreateContext();
  final AtomicLong clock = new AtomicLong(1_000_000);
  final AtomicLong epoch = new AtomicLong(1);
  final AtomicBoolean queueTakes = new AtomicBoolean(false);
  final List<String> attempted = new CopyOnWriteArrayList<>();
  final List<String> published = new CopyOnWriteArrayList<>();
  final List<String> lost = new CopyOnWriteArrayList<>();
  RefusedRuns runs;

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  void start() throws Exception {
    onLoop(() -> runs = new RefusedRuns(vertx, clock::get, epoch::get, LIMIT, new RefusedRuns.Publishing() {
      @Override
      public Future<Void> attempt(RefusedRuns.Run run) {
        attempted.add(run.fire().activationId());
        if (!queueTakes.get()) {
          return Future.failedFuture("topic cs.invoke is full");
        }
        published.add(run.fire().activationId());
        return Future.succeededFuture();
      }

      @Override
      public void lost(RefusedRuns.Run run, String why) {
        lost.add(run.fire().activationId());
      }
    }));
  }

  void onLoop(Runnable action) throws Exception {
    Future<Void> done = Future.future(promise -> loop.runOnContext(v -> {
      action.run();
      promise.complete();
    }));
    done.await(10, TimeUnit.SECONDS);
  }

  /** How many runs wait, read on the loop that owns them. */
  int waiting() {
    try {
      return Future.<Integer>future(promise -> loop.runOnContext(v -> promise.complete(runs.size())))
          .await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  RefusedRuns.Run run(String id, long markerExpiresAtMs) {
    return new RefusedRuns.Run("acme:default:" + id, null, null, null, new Fire(id, clock.get(), clock.get(), "fired"),
        markerExpiresAtMs);
  }

  List<String> refusedRuns(int count, long markerExpiresAtMs) throws Exception {
    List<String> ids = new ArrayList<>();
    onLoop(() -> {
      for (int i = 0; i < count; i++) {
        ids.add("r" + i);
        runs.add(run("r" + i, markerExpiresAtMs));
      }
    });
    return ids;
  }

  @Test
  void whileTheQueueRefusesOnlyOneRunProbesItAndOnceItTakesThemTheyAllFollowInTheirOrder() throws Exception {
    start();
    List<String> ids = refusedRuns(1_000, clock.get() + 60_000);
    until(() -> attempted.size() >= 3, "the queue is probed again and again");
    assertTrue(attempted.stream().allMatch("r0"::equals), "only the first run probes a refusing queue: " + attempted);
    queueTakes.set(true);
    until(() -> published.size() == ids.size(), "every waiting run is published once the queue takes them");
    assertEquals(ids, published);
    assertEquals(List.of(), lost);
    assertEquals(0, waiting());
  }

  @Test
  void runsWhoseMarkersExpireBeforeTheQueueIsTriedAgainAreGivenUp() throws Exception {
    start();
    onLoop(() -> {
      runs.add(run("short", clock.get() + 50));
      runs.add(run("long", clock.get() + 60_000));
    });
    // the first retry is due FIRST_PAUSE_MS (100 ms) later, after the short marker: it is given up at once
    assertEquals(List.of("short"), lost);
    until(() -> attempted.size() >= 1, "the long one is tried");
    clock.addAndGet(60_000);
    until(() -> lost.contains("long"), "the long one is given up once its marker expired");
    assertEquals(List.of(), published);
  }

  @Test
  void beyondTheRunsThatMayWaitARefusedRunIsGivenUpAtOnce() throws Exception {
    start();
    refusedRuns(LIMIT + 3, clock.get() + 60_000);
    assertEquals(List.of("r" + LIMIT, "r" + (LIMIT + 1), "r" + (LIMIT + 2)), lost);
  }

  @Test
  void theLanesShareTheBoundOnWaitingRuns() {
    SchedulerOptions options = SchedulerOptions.defaults();
    assertEquals(RefusedRuns.WAITING_LIMIT, options.withLanes(1).laneShare(RefusedRuns.WAITING_LIMIT));
    assertEquals(RefusedRuns.WAITING_LIMIT / 4, options.withLanes(4).laneShare(RefusedRuns.WAITING_LIMIT));
    assertEquals(1, options.withLanes(4).laneShare(3), "every lane may hold one");
  }

  @Test
  void aSchedulerThatNoLongerLeadsKeepsNoRefusedRun() throws Exception {
    start();
    refusedRuns(10, clock.get() + 60_000);
    epoch.set(0);
    until(() -> waiting() == 0, "the waiting runs are left to the next leader");
    queueTakes.set(true);
    onLoop(() -> runs.add(run("after", clock.get() + 60_000)));
    assertEquals(0, waiting());
    assertEquals(List.of(), published);
    assertEquals(List.of(), lost, "left to the next leader, not lost");
  }
}
