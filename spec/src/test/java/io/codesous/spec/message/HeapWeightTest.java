package io.codesous.spec.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.spec.model.ActivationStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

class HeapWeightTest {

  /** A schedule's run as the scheduler builds it: the request a full in-JVM queue held 100,000 of. */
  private static InvocationRequest scheduledRun(JsonObject payload) {
    JsonObject principal = new JsonObject().put("subject", "svc:scheduler").put("kind", "service")
        .put("tenant", "bench-sched-07b90741-embedded").put("roles", new JsonArray().add("invoker"))
        .put("schedule", "s601").put("namespace", "default");
    JsonObject event = new JsonObject().put("type", "schedule")
        .put("schedule", new JsonObject().put("name", "s601").put("scheduled_at_ms", 1796573333000L)
            .put("fired_at_ms", 1796573333071L))
        .put("payload", payload);
    Trigger trigger = new Trigger(Trigger.SCHEDULE, new JsonObject().put("schedule", "s601")
        .put("scheduled_at_ms", 1796573333000L));
    return new InvocationRequest("d3289be8-92eb-3ac3-a5d2-ecc14529a61f", "d3289be8-92eb-3ac3-a5d2-ecc14529a61f",
        "bench-sched-07b90741-embedded", "default", "hello", "prod", 1, trigger, principal, event,
        1796573334571L, 1_000, "sched-route-0", null, null, 1796573333071L, 1);
  }

  @Test
  void aScheduledHelloRunWeighsAboutWhatAFullQueueOfThemHeldEach() {
    long weight = scheduledRun(new JsonObject()).heapBytes();

    // a heap histogram of a full in-JVM queue: about 300 MB of live objects for 99,517 such requests, with the
    // schedules' own documents and the queue's entries among them; the estimate must be of that order, not of
    // the 600 bytes the request's JSON text has
    assertTrue(weight >= 1_500 && weight <= 3_000, () -> "estimated " + weight + " bytes");
  }

  @Test
  void aRequestWeighedWithItsPrincipalsWeightGivenWeighsTheSameAsWalkedWhole() {
    InvocationRequest run = scheduledRun(new JsonObject().put("region", "eu"));

    assertEquals(run.heapBytes(), run.heapBytes(HeapWeight.of(run.principal())));
    assertEquals(run.heapBytes() + 1_000, run.heapBytes(HeapWeight.of(run.principal()) + 1_000),
        "the given weight stands for the principal's tree");
  }

  @Test
  void aRequestWeighsAtLeastEveryCharacterOfItsEvent() {
    String body = "x".repeat(100_000);
    long light = scheduledRun(new JsonObject()).heapBytes();
    long heavy = scheduledRun(new JsonObject().put("body", body)).heapBytes();

    assertTrue(heavy - light >= body.length(), () -> "a 100,000-character body added " + (heavy - light));
    assertTrue(heavy - light < body.length() + 200, () -> "a 100,000-character body added " + (heavy - light));
  }

  @Test
  void aResultWeighsItsResponseBody() {
    JsonObject response = new JsonObject().put("status", 200).put("body", "y".repeat(50_000));
    InvocationResult result = new InvocationResult("a1", "r1", "route", "acme", "default", "hello", 1,
        ActivationStatus.SUCCESS, response, null, 0, 1);

    assertTrue(result.heapBytes() > 50_000, () -> "weighed " + result.heapBytes());
  }

  @Test
  void nestedValuesAreCountedEntryByEntryAndBytesByTheirLength() {
    assertEquals(HeapWeight.STRING + 5, HeapWeight.of("hello"));
    assertEquals(HeapWeight.OBJECT + 1024, HeapWeight.of(Buffer.buffer(new byte[1024])));
    long empty = HeapWeight.of(new JsonObject());
    long one = HeapWeight.of(new JsonObject().put("k", 1));
    long list = HeapWeight.of(new JsonObject().put("k", new JsonArray().add("ab").add(2)));

    assertEquals(empty + HeapWeight.ENTRY + HeapWeight.STRING + 1 + HeapWeight.BOXED, one);
    assertEquals(empty + HeapWeight.ENTRY + HeapWeight.STRING + 1 + HeapWeight.OBJECT * 2
        + HeapWeight.SLOT + HeapWeight.STRING + 2 + HeapWeight.SLOT + HeapWeight.BOXED, list);
    assertEquals(0, HeapWeight.of(null));
  }
}
