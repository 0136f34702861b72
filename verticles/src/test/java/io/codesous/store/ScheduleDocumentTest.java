package io.codesous.store;

import io.codesous.store.ScheduleState.Fire;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A schedule's document held as fields ({@link ScheduleDocument}, {@link LiveState}) and written as text: what it
 * writes reads back as the same document, whatever it was read from, and its moves are the moves of
 * {@link ScheduleState}.
 */
class ScheduleDocumentTest {

  static final long T0 = 1_700_000_000_000L;
  static final long MARGIN = 30_000;

  static ScheduleSpec spec(String overlap) {
    return ScheduleSpec.parse(new JsonObject().put("function", "report").put("ref", "prod").put("every", "30s")
        .put("overlap", overlap).put("payload", new JsonObject().put("say", "a \"quoted\" \u00e9 line\n")));
  }

  static JsonObject stored(ScheduleSpec spec) {
    JsonObject state = ScheduleState.empty();
    ScheduleState.schedule(state, spec, T0);
    return ScheduleStore.withSpec(new JsonObject().put("tenant", "acme").put("namespace", "default")
            .put("name", "nightly"), spec)
        .put("principal", new JsonObject().put("subject", "agent-7").put("roles", new JsonArray().add("developer")))
        .put("timeout_ms", 45_000).put("created_at_ms", T0).put("updated_at_ms", T0).put("state", state)
        .put(ScheduleStore.LEADER_EPOCH, 3L);
  }

  @Test
  void aDocumentWrittenAsFieldsReadsBackAsTheDocumentItWasReadFrom() {
    JsonObject doc = stored(spec("buffer_all"));
    // every member of the state with something in it: markers, buffered ticks, a trigger, counters, the log
    long first = doc.getJsonObject("state").getLong("next_fire_at_ms");
    for (int i = 0; i < 4; i++) {
      ScheduleState.due(doc, spec("buffer_all"), first + 30_000L * i + 7, 5_000, MARGIN);
    }
    assertEquals(2, doc.getJsonObject("state").getJsonArray("buffered").size());
    doc.getJsonObject("state").getJsonArray("triggers").add(T0 + 123_000);

    ScheduleDocument held = ScheduleDocument.parse(doc.encode());

    assertEquals(doc, new JsonObject(held.encode()));
    assertEquals(doc.encode(), held.text(), "the text it was read as, for the compare-and-set");
    assertEquals(3L, held.leaderEpoch());
    assertEquals(45_000 + MARGIN, held.markerMs(MARGIN));
    assertEquals(new LiveState.Owner("acme", "default", "nightly"), held.owner());
  }

  @Test
  void aStepOnTheFieldsWritesWhatTheSameStepOnTheJsonWrites() {
    ScheduleSpec spec = spec("buffer_one");
    JsonObject json = stored(spec);
    ScheduleDocument held = ScheduleDocument.parse(json.encode());
    long first = json.getJsonObject("state").getLong("next_fire_at_ms");
    for (int i = 1; i <= 5; i++) {
      long now = first + 30_000L * (i - 1) + 7;
      List<Fire> fromJson = ScheduleState.due(json, spec, now, 5_000, MARGIN);
      List<Fire> fromFields = held.state().due(held.owner(), spec, now, 5_000, held.markerMs(MARGIN));
      assertEquals(fromJson, fromFields);
      if (i == 3) {
        String id = ScheduleState.inflight(json.getJsonObject("state")).getJsonObject(0).getString("id");
        assertEquals(ScheduleState.ended(json, spec, id, now + 1, MARGIN),
            held.state().ended(held.owner(), id, now + 1, held.markerMs(MARGIN)));
      }
    }
    assertEquals(json, new JsonObject(held.encode()));
    assertTrue(ScheduleState.ticks(json).size() > 5, "buffered and skipped ticks were recorded too");
  }

  @Test
  void whatAnEarlierReleaseStoredIsReadAndWhatThisOneDoesNotKnowIsKept() {
    JsonObject doc = stored(spec("skip"));
    JsonObject state = doc.getJsonObject("state");
    // markers as an object of activation id to expiry, the history as a list, members and counters of a later release
    state.put("inflight", new JsonObject().put("run-1", T0 + 60_000));
    state.put("ticks", new JsonArray().add(new JsonArray().add(T0 - 30_000).add(12).add("fired")));
    state.put("paused_by", "ops \"night\" shift");
    state.getJsonObject("counters").put("retried", 4);
    doc.put("labels", new JsonObject().put("team", "billing"));

    ScheduleDocument held = ScheduleDocument.parse(doc.encode());
    JsonObject written = new JsonObject(held.encode());

    assertEquals(new JsonArray().add(new JsonObject().put("id", "run-1").put("expires_at_ms", T0 + 60_000)),
        written.getJsonObject("state").getJsonArray("inflight"));
    assertEquals(state.getJsonArray("ticks"), written.getJsonObject("state").getJsonArray("ticks"),
        "a history stored as a list stays one until a tick is recorded");
    assertEquals("ops \"night\" shift", written.getJsonObject("state").getString("paused_by"));
    assertEquals(4L, written.getJsonObject("state").getJsonObject("counters").getLong("retried"));
    assertEquals(new JsonObject().put("team", "billing"), written.getJsonObject("labels"));
    assertTrue(held.state().isInflight("run-1", T0 + 59_999));

    // the next tick turns the list into the log, as the moves over JSON do
    held.state().due(held.owner(), spec("skip"), held.state().nextFireAtMs() + 7, 5_000, held.markerMs(MARGIN));
    assertTrue(new JsonObject(held.encode()).getJsonObject("state").getValue("ticks") instanceof String);
  }

  @Test
  void aCopyMovesWithoutMovingTheDocumentItWasCopiedFrom() {
    ScheduleDocument held = ScheduleDocument.parse(stored(spec("allow")).encode());
    String before = held.encode();
    ScheduleDocument copy = held.copy();
    copy.state().due(copy.owner(), spec("allow"), copy.state().nextFireAtMs() + 7, 5_000, copy.markerMs(MARGIN));
    copy.leaderEpoch(4);

    assertEquals(before, held.encode());
    assertNotEquals(before, copy.encode());
    assertEquals(1, copy.state().inflight().size());
  }
}
