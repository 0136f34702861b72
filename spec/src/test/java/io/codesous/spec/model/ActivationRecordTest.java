package io.codesous.spec.model;

import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.message.Trigger;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationRecordTest {

  private static final InvocationRequest REQUEST = new InvocationRequest("act-00000001", "req-1", "acme", "default",
      "fn", "prod", 3, new Trigger(Trigger.HTTP, null), null, new JsonObject(), 2_000, 1_000, "gw-1", null, null,
      100, 1);

  /** A running record exactly as platforms before the typed record wrote it (key order included). */
  private static final String STORED_RUNNING = "{\"activation_id\":\"act-00000001\",\"request_id\":\"req-1\","
      + "\"tenant\":\"acme\",\"namespace\":\"default\",\"function\":\"fn\",\"ref\":\"prod\",\"version\":3,"
      + "\"trigger\":{\"type\":\"http\"},\"queued_at_ms\":100,\"status\":\"running\",\"attempt\":1,"
      + "\"attempts\":[{\"attempt\":1,\"invoker\":\"inv-a\",\"started_at_ms\":150}],\"start_ms\":150,"
      + "\"lease_until_ms\":1150}";

  @Test
  void aFirstAttemptIsWrittenInTheLayoutStoredRecordsAlreadyHave() {
    ActivationRecord running = ActivationRecord.firstAttempt(REQUEST, "inv-a", 150, 1_000);
    assertEquals(new JsonObject(STORED_RUNNING), running.toJson());
    assertEquals(STORED_RUNNING, running.encode(), "compare-and-set swaps against this exact text");
  }

  @Test
  void aDecodedRecordEncodesAsTheExactTextItWasReadFromSoACompareAndSetAgainstItMatches() {
    String spaced = STORED_RUNNING.replace(",", ", ");
    ActivationRecord stored = ActivationRecord.decode(spaced);
    assertEquals(spaced, stored.encode());
    assertEquals(ActivationRecord.decode(STORED_RUNNING), stored);
    // a record made from it is encoded afresh, in the usual layout
    ActivationRecord next = stored.nextAttempt(REQUEST, "inv-b", 2_000, 1_000);
    assertEquals(next.toJson().encode(), next.encode());
  }

  @Test
  void anAttemptWhoseLeaseRanOutIsLostAndTheNextOneRuns() {
    ActivationRecord stored = ActivationRecord.decode(STORED_RUNNING);
    assertEquals("inv-a", stored.attemptInvoker());
    ActivationRecord next = stored.nextAttempt(REQUEST, "inv-b", 2_000, 1_000);
    assertEquals(ActivationStatus.RUNNING, next.status());
    assertEquals(2, next.attempt());
    assertEquals("inv-b", next.attemptInvoker());
    assertEquals(3_000, next.leaseUntilMs());
    JsonObject lost = next.toJson().getJsonArray("attempts").getJsonObject(0);
    assertEquals("lost", lost.getString("outcome"));
    assertEquals(2_000, lost.getLong("ended_at_ms"));
  }

  @Test
  void anEndedAttemptHasNoLeaseAndItsEntryCarriesTheOutcome() {
    ActivationRecord running = ActivationRecord.decode(STORED_RUNNING);
    ActivationRecord ended = running.ended(new ActivationOutcome(ActivationStatus.ERROR, 160, 400, null,
        new JsonObject().put("code", "CS_RUNTIME_EXCEPTION").put("message", "boom").put("stack", "at handler"),
        new ActivationOutcome.Logs(2, 1, false)));
    JsonObject json = ended.toJson();
    assertTrue(ended.status().terminal());
    assertFalse(json.containsKey("lease_until_ms"));
    assertEquals(240, json.getLong("duration_ms"));
    assertEquals(new JsonObject().put("count", 2).put("chunks", 1).put("truncated", false), json.getJsonObject("logs"));
    assertEquals("error", json.getJsonArray("attempts").getJsonObject(0).getString("outcome"));

    InvocationResult result = ended.toResult(REQUEST);
    assertEquals("gw-1", result.replyTo());
    assertEquals(new JsonObject().put("code", "CS_RUNTIME_EXCEPTION").put("message", "boom"), result.error(),
        "the stack stays in the record");
    assertEquals(160, result.startMs());
    assertEquals(400, result.endMs());
  }

  @Test
  void aRunThatLostTheRecordIsNotedOnceAsSuperseded() {
    ActivationRecord taken = ActivationRecord.decode(STORED_RUNNING).nextAttempt(REQUEST, "inv-b", 2_000, 1_000);
    ActivationOutcome late = new ActivationOutcome(ActivationStatus.SUCCESS, 150, 2_100, new JsonObject(), null,
        ActivationOutcome.Logs.NONE);
    ActivationRecord noted = taken.superseded(1, late).orElseThrow();
    JsonObject entry = noted.toJson().getJsonArray("attempts").getJsonObject(0);
    assertEquals("superseded", entry.getString("outcome"));
    assertEquals("success", entry.getString("ran_to"));
    assertEquals(ActivationStatus.RUNNING, noted.status(), "the newer attempt's record stands");
    assertTrue(noted.superseded(1, late).isEmpty());
  }

  @Test
  void aQueuedRecordKeepsItsQueueTimeIntoItsFirstAttemptAndListsWithoutResponseOrAttempts() {
    ActivationRecord queued = ActivationRecord.queued(REQUEST);
    assertEquals(ActivationStatus.QUEUED, queued.status());
    ActivationRecord running = queued.nextAttempt(REQUEST, "inv-a", 500, 1_000);
    assertEquals(1, running.attempt());
    assertEquals(100, running.toJson().getLong("queued_at_ms"));
    assertNull(running.summary().getValue("attempts"));
  }
}
