package io.codesous.invoker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FairSchedulerTest {

  /** Activations whose runs the test ends by name; records the order they started in. */
  final List<String> started = new ArrayList<>();
  final Map<String, Promise<String>> runs = new HashMap<>();

  Supplier<Future<String>> activation(String name) {
    return () -> {
      started.add(name);
      Promise<String> run = Promise.promise();
      runs.put(name, run);
      return run.future();
    };
  }

  void end(String name) {
    runs.get(name).complete(name);
  }

  @Test
  void aTenantNeverHoldsMoreThanItsShareSoAWorkerStaysFreeForOthers() {
    FairScheduler scheduler = new FairScheduler(2, 1);
    scheduler.run("evil", "v1", activation("evil-1"));
    scheduler.run("evil", "v1", activation("evil-2"));
    scheduler.run("evil", "v1", activation("evil-3"));

    Future<String> hello = scheduler.run("acme", "v1", activation("acme-1"));

    assertEquals(List.of("evil-1", "acme-1"), started);
    assertEquals(1, scheduler.running("evil"));
    assertEquals(2, scheduler.waiting());
    end("acme-1");
    assertEquals("acme-1", hello.result());
    assertEquals(List.of("evil-1", "acme-1"), started, "evil stays at its share of one worker");
    end("evil-1");
    assertEquals(List.of("evil-1", "acme-1", "evil-2"), started);
  }

  @Test
  void waitingActivationsAreServedRoundRobinAcrossTenants() {
    FairScheduler scheduler = new FairScheduler(1, 1);
    scheduler.run("first", "v", activation("first"));
    for (String name : List.of("a-1", "a-2", "a-3", "b-1", "c-1", "b-2")) {
      scheduler.run(name.substring(0, 1), "v", activation(name));
    }

    for (String name : List.of("first", "a-1", "b-1", "c-1", "a-2", "b-2")) {
      end(name);
    }

    assertEquals(List.of("first", "a-1", "b-1", "c-1", "a-2", "b-2", "a-3"), started);
    assertEquals(0, scheduler.waiting());
  }

  @Test
  void withinATenantItsVersionsTakeTurns() {
    FairScheduler scheduler = new FairScheduler(1, 1);
    scheduler.run("t", "busy", activation("busy"));
    scheduler.run("t", "v1", activation("v1-a"));
    scheduler.run("t", "v1", activation("v1-b"));
    scheduler.run("t", "v1", activation("v1-c"));
    scheduler.run("t", "v2", activation("v2-a"));

    for (String name : List.of("busy", "v1-a", "v2-a", "v1-b")) {
      end(name);
    }

    assertEquals(List.of("busy", "v1-a", "v2-a", "v1-b", "v1-c"), started);
  }

  @Test
  void aTenantUnderItsShareStartsAtOnceWhileAnotherTenantAtItsShareWaits() {
    FairScheduler scheduler = new FairScheduler(3, 2);
    scheduler.run("evil", "v", activation("evil-1"));
    scheduler.run("evil", "v", activation("evil-2"));
    scheduler.run("evil", "v", activation("evil-3"));

    scheduler.run("acme", "v", activation("acme-1"));

    assertEquals(List.of("evil-1", "evil-2", "acme-1"), started);
    assertEquals(3, scheduler.busy());
  }

  @Test
  void aStartThatFailsGivesItsWorkerBackAndFailsItsActivation() {
    FairScheduler scheduler = new FairScheduler(1, 1);

    Future<String> failed = scheduler.run("t", "v", () -> {
      throw new IllegalStateException("pool closed");
    });
    Future<String> next = scheduler.run("t", "v", activation("next"));

    assertTrue(failed.failed());
    assertEquals("pool closed", failed.cause().getMessage());
    assertEquals(List.of("next"), started);
    end("next");
    assertEquals("next", next.result());
    assertEquals(0, scheduler.busy());
  }

  @Test
  void aFailedRunGivesItsWorkerBackToTheNextInTurn() {
    FairScheduler scheduler = new FairScheduler(1, 1);
    Future<String> first = scheduler.run("a", "v", activation("a-1"));
    scheduler.run("b", "v", activation("b-1"));

    runs.get("a-1").fail(new RuntimeException("sandbox failed"));

    assertTrue(first.failed());
    assertEquals(List.of("a-1", "b-1"), started);
  }

  @Test
  void aShareOutsideOneToTheWorkersIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new FairScheduler(2, 0));
    assertThrows(IllegalArgumentException.class, () -> new FairScheduler(2, 3));
    assertThrows(IllegalArgumentException.class, () -> new FairScheduler(0, 1));
  }
}
