package io.codesous.store;

import io.codesous.spec.error.CsException;
import io.codesous.store.ScheduleState.Fire;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The overlap, catch-up and timing rules of a schedule, on a clock the test moves. */
class ScheduleStateTest {

  static final long T0 = 1_700_000_000_000L;
  static final long ON_TIME = 5_000;
  static final long MARGIN = 30_000;

  static ScheduleSpec every30s(String overlap, String catchup) {
    JsonObject body = new JsonObject().put("function", "report").put("every", "30s").put("overlap", overlap);
    if (catchup != null) {
      body.put("catchup_window", catchup);
    }
    return ScheduleSpec.parse(body);
  }

  /** A schedule document as the store writes it, whose runs time out after {@code timeoutMs}. */
  static JsonObject doc(ScheduleSpec spec, long now, long timeoutMs) {
    JsonObject state = ScheduleState.empty();
    ScheduleState.schedule(state, spec, now);
    return new JsonObject().put("tenant", "acme").put("namespace", "default").put("name", "nightly")
        .put("spec", spec.toJson()).put("timeout_ms", timeoutMs).put("state", state);
  }

  static List<String> outcomes(JsonObject doc) {
    List<String> out = new ArrayList<>();
    List<JsonObject> ticks = ScheduleState.ticks(doc);
    for (int i = ticks.size() - 1; i >= 0; i--) {
      out.add(ticks.get(i).getString("outcome"));
    }
    return out;
  }

  static long counter(JsonObject doc, String name) {
    return doc.getJsonObject("state").getJsonObject("counters").getLong(name);
  }

  /** Runs a function slower than its interval: each run takes {@code runMs}; returns the doc after {@code ticks}. */
  static JsonObject slowRuns(ScheduleSpec spec, int ticks, long runMs, List<long[]> runs) {
    JsonObject doc = doc(spec, T0, 600_000);
    List<long[]> running = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    long first = doc.getJsonObject("state").getLong("next_fire_at_ms");
    for (long now = first; now < first + ticks * 30_000L; now += 1_000) {
      // runs that reach their end at this instant report back first
      for (int i = running.size() - 1; i >= 0; i--) {
        if (running.get(i)[1] <= now) {
          long[] ended = running.remove(i);
          String id = ids.remove(i);
          runs.add(ended);
          for (Fire f : ScheduleState.ended(doc, spec, id, now, MARGIN)) {
            running.add(new long[] {now, now + runMs});
            ids.add(f.activationId());
          }
        }
      }
      for (Fire f : ScheduleState.due(doc, spec, now, ON_TIME, MARGIN)) {
        running.add(new long[] {now, now + runMs});
        ids.add(f.activationId());
      }
    }
    runs.addAll(running);
    return doc;
  }

  @Test
  void underSkipATickWhileTheRunIsInflightIsRecordedAndNoTwoRunsOverlap() {
    List<long[]> runs = new ArrayList<>();
    JsonObject doc = slowRuns(every30s("skip", null), 6, 45_000, runs);
    // ticks at 0,30,60,90,120,150 s; each run lasts 45 s, so every second tick finds one inflight
    assertEquals(List.of("fired", "skipped_overlap", "fired", "skipped_overlap", "fired", "skipped_overlap"),
        outcomes(doc));
    assertEquals(3, counter(doc, "fired"));
    assertEquals(3, counter(doc, "skipped_overlap"));
    assertEquals(3, runs.size());
    runs.sort((a, b) -> Long.compare(a[0], b[0]));
    for (int i = 1; i < runs.size(); i++) {
      assertTrue(runs.get(i)[0] >= runs.get(i - 1)[1], "runs overlap");
    }
  }

  @Test
  void aRunThatNeverGotIntoTheQueueIsRecordedLostAndReleasesTheTickBufferedBehindIt() {
    ScheduleSpec spec = every30s("buffer_one", null);
    JsonObject doc = doc(spec, T0, 600_000);
    long first = doc.getJsonObject("state").getLong("next_fire_at_ms");
    Fire refused = ScheduleState.due(doc, spec, first, ON_TIME, MARGIN).get(0);
    assertTrue(ScheduleState.due(doc, spec, first + 30_000, ON_TIME, MARGIN).isEmpty(), "the next tick waits");

    List<Fire> released = ScheduleState.lost(doc, refused.activationId(), first, first + 31_000, MARGIN);

    assertEquals(List.of("lost", "buffered", "fired"), outcomes(doc));
    assertEquals(1, released.size());
    assertEquals(first + 30_000, released.get(0).scheduledAtMs());
    assertEquals(1, counter(doc, "lost"));
    assertEquals(2, counter(doc, "fired"), "the lost run fired, as its tick did");
    JsonArray inflight = ScheduleState.inflight(doc.getJsonObject("state"));
    assertEquals(1, inflight.size());
    assertEquals(released.get(0).activationId(), ScheduleState.markerId(inflight.getValue(0)));
    JsonObject lostTick = ScheduleState.ticks(doc).get(2);
    assertEquals(first, lostTick.getLong("scheduled_at_ms"));
    assertEquals(refused.activationId(), lostTick.getString("activation_id"));
    assertEquals(first, lostTick.getLong("fired_at_ms"));

    assertNull(ScheduleState.lost(doc, refused.activationId(), first, first + 32_000, MARGIN),
        "a loss recorded once is not recorded again");
    assertEquals(1, counter(doc, "lost"));
  }

  @Test
  void underAllowEveryTickRunsEvenWhileOthersAreInflight() {
    List<long[]> runs = new ArrayList<>();
    JsonObject doc = slowRuns(every30s("allow", null), 6, 45_000, runs);
    assertEquals(List.of("fired", "fired", "fired", "fired", "fired", "fired"), outcomes(doc));
    assertEquals(6, runs.size());
  }

  @Test
  void underBufferOneATickWaitsAndFiresWhenTheRunEndsAndASecondWaitingTickIsSkipped() {
    List<long[]> runs = new ArrayList<>();
    JsonObject doc = slowRuns(every30s("buffer_one", null), 4, 70_000, runs);
    // run 1: 0..70; tick 30 buffered, tick 60 skipped (buffer full); 70: buffered fires (70..140);
    // tick 90 buffered, tick 120 skipped... within 4 ticks: 0 fired, 30 buffered, 60 skipped, 90 buffered
    assertEquals(List.of("fired", "buffered", "skipped_overlap", "fired", "buffered"), outcomes(doc));
    assertEquals(1, doc.getJsonObject("state").getJsonArray("buffered").size());
  }

  @Test
  void underBufferAllEveryTickWaitsInOrder() {
    List<long[]> runs = new ArrayList<>();
    JsonObject doc = slowRuns(every30s("buffer_all", null), 4, 70_000, runs);
    assertEquals(List.of("fired", "buffered", "buffered", "fired", "buffered"), outcomes(doc));
    assertEquals(0, counter(doc, "skipped_overlap"));
    JsonArray buffered = doc.getJsonObject("state").getJsonArray("buffered");
    assertEquals(2, buffered.size());
    assertTrue(buffered.getLong(0) < buffered.getLong(1), "buffered ticks keep their order");
  }

  @Test
  void ticksMissedInsideTheCatchupWindowAreCaughtUpAndOlderOnesAreOneMissedEntry() {
    ScheduleSpec spec = every30s("allow", "2m");
    JsonObject doc = doc(spec, T0, 10_000);
    long first = doc.getJsonObject("state").getLong("next_fire_at_ms");
    // the scheduler was away for 10 minutes: 21 ticks are due, the last 5 are inside 2 minutes (0..120 s late)
    long now = first + 600_000;
    List<Fire> fires = ScheduleState.due(doc, spec, now, ON_TIME, MARGIN);
    assertEquals(16, counter(doc, "missed"));
    assertEquals(4, counter(doc, "caught_up"));
    assertEquals(1, counter(doc, "fired"));
    assertEquals(5, fires.size());
    JsonObject missed = ScheduleState.ticks(doc).get(5);
    assertEquals("missed", missed.getString("outcome"));
    assertEquals(16, missed.getLong("count"));
    assertEquals(first, missed.getLong("scheduled_at_ms"));
    assertEquals(now + 30_000, doc.getJsonObject("state").getLong("next_fire_at_ms"));
  }

  @Test
  void withoutACatchupWindowAnOutageIsRecordedMissedAndNothingFires() {
    ScheduleSpec spec = every30s("skip", null);
    JsonObject doc = doc(spec, T0, 10_000);
    long first = doc.getJsonObject("state").getLong("next_fire_at_ms");
    List<Fire> fires = ScheduleState.due(doc, spec, first + 100_000, ON_TIME, MARGIN);
    assertEquals(List.of(), fires);
    assertEquals(4, counter(doc, "missed"));
    assertEquals(List.of("missed"), outcomes(doc));
  }

  @Test
  void aLostResultNeverWedgesASkipScheduleBecauseItsMarkerExpires() {
    ScheduleSpec spec = every30s("skip", null);
    JsonObject doc = doc(spec, T0, 10_000);
    long first = doc.getJsonObject("state").getLong("next_fire_at_ms");
    assertEquals(1, ScheduleState.due(doc, spec, first, ON_TIME, MARGIN).size());
    // no result ever comes; 30 s later the marker (10 s timeout + 30 s margin) still holds
    assertEquals(0, ScheduleState.due(doc, spec, first + 30_000, ON_TIME, MARGIN).size());
    // 60 s later it has expired
    assertEquals(1, ScheduleState.due(doc, spec, first + 60_000, ON_TIME, MARGIN).size());
  }

  @Test
  void aTickHasOneActivationIdWhoeverComputesIt() {
    assertEquals(ScheduleState.activationId("acme", "default", "nightly", T0),
        ScheduleState.activationId("acme", "default", "nightly", T0));
    assertNotEquals(ScheduleState.activationId("acme", "default", "nightly", T0),
        ScheduleState.activationId("acme", "default", "nightly", T0 + 1));
    assertNotEquals(ScheduleState.activationId("acme", "default", "nightly", T0),
        ScheduleState.activationId("other", "default", "nightly", T0));
  }

  @Test
  void aPausedScheduleHasNoNextTick() {
    ScheduleSpec paused = every30s("skip", null).withEnabled(false);
    JsonObject doc = doc(paused, T0, 10_000);
    assertNull(doc.getJsonObject("state").getValue("next_fire_at_ms"));
    assertEquals(List.of(), ScheduleState.due(doc, paused, T0 + 3_600_000, ON_TIME, MARGIN));
  }

  @Test
  void cronTicksFollowTheWallClockOfTheirZoneAcrossDaylightSavingChanges() {
    ScheduleSpec spec = ScheduleSpec.parse(new JsonObject().put("function", "report").put("cron", "30 1 * * *")
        .put("timezone", "Europe/Berlin"));
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST; 01:30 exists on both days
    long before = ZonedDateTime.of(2026, 3, 28, 12, 0, 0, 0, berlin).toInstant().toEpochMilli();
    long first = spec.nextAfter(before).orElseThrow();
    long second = spec.nextAfter(first).orElseThrow();
    assertEquals("2026-03-29T00:30:00Z", Instant.ofEpochMilli(first).toString());
    assertEquals("2026-03-29T23:30:00Z", Instant.ofEpochMilli(second).toString());
    assertEquals(23 * 3_600_000L, second - first, "the day of the change is 23 hours long");
  }

  @Test
  void aCronTimeThatDoesNotExistOnTheDayClocksSpringForwardStillFiresOnce() {
    ScheduleSpec spec = ScheduleSpec.parse(new JsonObject().put("function", "report").put("cron", "30 2 * * *")
        .put("timezone", "Europe/Berlin"));
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    long from = ZonedDateTime.of(2026, 3, 28, 12, 0, 0, 0, berlin).toInstant().toEpochMilli();
    long to = ZonedDateTime.of(2026, 3, 30, 12, 0, 0, 0, berlin).toInstant().toEpochMilli();
    int fired = 0;
    for (long t = spec.nextAfter(from).orElseThrow(); t < to; t = spec.nextAfter(t).orElseThrow()) {
      fired++;
    }
    assertTrue(fired >= 1 && fired <= 2, "fired " + fired + " times over two days");
  }

  @Test
  void everyBadInputIsRefusedNamingItsMember() {
    assertRefused("every", new JsonObject().put("function", "f").put("every", "500ms"));
    assertRefused("every", new JsonObject().put("function", "f").put("every", "ten seconds"));
    assertRefused("every", new JsonObject().put("function", "f"));
    assertRefused("cron", new JsonObject().put("function", "f").put("every", "1m").put("cron", "* * * * *"));
    assertRefused("cron", new JsonObject().put("function", "f").put("cron", "61 * * * *"));
    assertRefused("cron", new JsonObject().put("function", "f").put("cron", "* * *"));
    assertRefused("timezone", new JsonObject().put("function", "f").put("cron", "* * * * *")
        .put("timezone", "Mars/Olympus"));
    assertRefused("overlap", new JsonObject().put("function", "f").put("every", "1m").put("overlap", "queue"));
    assertRefused("misfire", new JsonObject().put("function", "f").put("every", "1m").put("misfire", "later"));
    assertRefused("catchup_window", new JsonObject().put("function", "f").put("every", "1m")
        .put("catchup_window", "-1s"));
    assertRefused("function", new JsonObject().put("every", "1m"));
    assertRefused("ref", new JsonObject().put("function", "f").put("every", "1m").put("ref", "NOT A REF"));
    assertRefused("payload", new JsonObject().put("function", "f").put("every", "1m").put("payload", "x"));
    assertRefused("end_at_ms", new JsonObject().put("function", "f").put("every", "1m").put("start_at_ms", 10)
        .put("end_at_ms", 5));
  }

  @Test
  void misfireNamesMapOntoOverlapPolicies() {
    assertEquals(ScheduleSpec.Overlap.BUFFER_ALL, ScheduleSpec.parse(new JsonObject().put("function", "f")
        .put("every", "1m").put("misfire", "catchup")).overlap());
    assertEquals(ScheduleSpec.Overlap.BUFFER_ONE, ScheduleSpec.parse(new JsonObject().put("function", "f")
        .put("every", "1m").put("misfire", "compress")).overlap());
    assertEquals(ScheduleSpec.Overlap.SKIP, ScheduleSpec.parse(new JsonObject().put("function", "f")
        .put("every", "1m")).overlap());
  }

  static void assertRefused(String path, JsonObject body) {
    CsException refused = assertThrows(CsException.class, () -> ScheduleSpec.parse(body), body.encode());
    assertEquals(path, refused.details().getString("path"), refused.getMessage());
  }

  @Test
  void aFiredTickIsShownWithItsFiredTimeAndTheActivationIdItsTimeGives() {
    ScheduleSpec spec = ScheduleSpec.parse(new JsonObject().put("function", "report").put("ref", "prod")
        .put("every", "30s").put("overlap", "allow"));
    JsonObject doc = doc(spec, T0, 60_000);
    long first = doc.getJsonObject("state").getLong("next_fire_at_ms");
    List<Fire> fires = ScheduleState.due(doc, spec, first + 7, ON_TIME, MARGIN);
    JsonObject stored = new JsonObject(doc.encode());
    JsonObject tick = ScheduleState.ticks(stored).get(0);
    assertEquals(first, tick.getLong("scheduled_at_ms"));
    assertEquals(first + 7, tick.getLong("fired_at_ms"));
    assertEquals("fired", tick.getString("outcome"));
    assertEquals(fires.get(0).activationId(), tick.getString("activation_id"));
    assertEquals(ScheduleState.activationId("acme", "default", "nightly", first), tick.getString("activation_id"));
  }

  @Test
  void ticksStoredAsObjectsAreShownAsTheyWere() {
    ScheduleSpec spec = ScheduleSpec.parse(new JsonObject().put("function", "report").put("ref", "prod")
        .put("every", "30s"));
    JsonObject doc = doc(spec, T0, 60_000);
    JsonObject old = new JsonObject().put("scheduled_at_ms", 5L).put("fired_at_ms", 9L).put("outcome", "fired")
        .put("activation_id", "a-1");
    doc.getJsonObject("state").put("ticks", new JsonArray().add(old));
    assertEquals(List.of(old), ScheduleState.ticks(new JsonObject(doc.encode())));
  }

  @Test
  void theHistoryKeepsTheNewestFiftyTicksNewestFirst() {
    ScheduleSpec spec = every30s("allow", null);
    JsonObject doc = doc(spec, T0, 1_000);
    long first = doc.getJsonObject("state").getLong("next_fire_at_ms");
    for (int i = 0; i < ScheduleState.TICKS_KEPT + 7; i++) {
      long at = first + i * 30_000L;
      ScheduleState.due(doc, spec, at + i % 3, ON_TIME, MARGIN);
      doc = new JsonObject(doc.encode());
    }
    List<JsonObject> ticks = ScheduleState.ticks(doc);
    assertEquals(ScheduleState.TICKS_KEPT, ticks.size());
    for (int k = 0; k < ticks.size(); k++) {
      int i = ScheduleState.TICKS_KEPT + 6 - k;
      long at = first + i * 30_000L;
      assertEquals(at, ticks.get(k).getLong("scheduled_at_ms"));
      assertEquals(at + i % 3, ticks.get(k).getLong("fired_at_ms"));
      assertEquals(ScheduleState.activationId("acme", "default", "nightly", at),
          ticks.get(k).getString("activation_id"));
    }
  }

  @Test
  void aHistoryStoredAsListsIsCarriedIntoTheLogWhenTheNextTickIsAdded() {
    ScheduleSpec spec = every30s("skip", null);
    JsonObject doc = doc(spec, T0, 1_000);
    long first = doc.getJsonObject("state").getLong("next_fire_at_ms");
    doc.getJsonObject("state").put("ticks", new JsonArray()
        .add(new JsonArray().add(first - 30_000).add(4).add("fired"))
        .add(new JsonArray().add(first - 90_000).addNull().add("missed").add(2))
        .add(new JsonObject().put("scheduled_at_ms", first - 120_000).put("fired_at_ms", first - 119_990)
            .put("outcome", "caught_up").put("activation_id", "a-1")));
    ScheduleState.due(doc, spec, first + 3, ON_TIME, MARGIN);
    JsonObject stored = new JsonObject(doc.encode());
    assertTrue(stored.getJsonObject("state").getValue("ticks") instanceof String, "the history is one log again");
    List<JsonObject> ticks = ScheduleState.ticks(stored);
    assertEquals(List.of(first, first - 30_000, first - 90_000, first - 120_000),
        ticks.stream().map(t -> t.getLong("scheduled_at_ms")).toList());
    assertEquals(List.of("fired", "fired", "missed", "caught_up"), ticks.stream().map(t -> t.getString("outcome")).toList());
    assertEquals(first - 29_996, ticks.get(1).getLong("fired_at_ms"));
    assertNull(ticks.get(2).getLong("fired_at_ms"));
    assertEquals(2L, ticks.get(2).getLong("count"));
    assertEquals(first - 119_990, ticks.get(3).getLong("fired_at_ms"));
    assertEquals(ScheduleState.activationId("acme", "default", "nightly", first - 120_000),
        ticks.get(3).getString("activation_id"));
  }

  @Test
  void aTicksActivationIdIsTheNameBasedUuidEarlierReleasesDerived() {
    // a leader of this release and one of an earlier release publish the same tick as one activation
    for (long at : new long[] {0, 1_764_870_000_000L, 1_796_692_386_000L}) {
      String name = "schedule/acme/default/nightly-report/" + at;
      assertEquals(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString(),
          ScheduleState.activationId("acme", "default", "nightly-report", at));
    }
    assertEquals(UUID.nameUUIDFromBytes(new byte[0]), ScheduleState.nameUuid(new byte[0]));
    String unicode = "schedule/t\u00e9nant/ns/\u65e5\u6b21/1";
    assertEquals(UUID.nameUUIDFromBytes(unicode.getBytes(StandardCharsets.UTF_8)),
        ScheduleState.nameUuid(unicode.getBytes(StandardCharsets.UTF_8)));
  }
}
