package io.codesous.scheduler;

import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleStore;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The leader parses a schedule's spec again exactly when it was written again. */
class SpecCacheTest {

  static final String ENTRY = "acme:default:nightly";

  static ScheduleSpec every(String every) {
    return ScheduleSpec.parse(new JsonObject().put("function", "report").put("ref", "prod").put("every", every));
  }

  @Test
  void aSpecWithTheSameTagIsTheOneParsedBefore() {
    SpecCache specs = new SpecCache();
    JsonObject doc = ScheduleStore.withSpec(new JsonObject(), every("30s"));
    ScheduleSpec first = specs.of(ENTRY, doc);
    assertSame(first, specs.of(ENTRY, new JsonObject(doc.encode())));
  }

  @Test
  void aSpecWrittenAgainIsParsedAgainEvenWhenTheScheduleWasDeletedAndCreated() {
    SpecCache specs = new SpecCache();
    ScheduleSpec first = specs.of(ENTRY, ScheduleStore.withSpec(new JsonObject(), every("30s")));
    ScheduleSpec paused = specs.of(ENTRY, ScheduleStore.withSpec(new JsonObject(), every("30s").withEnabled(false)));
    assertNotSame(first, paused);
    assertFalse(paused.enabled());
    ScheduleSpec recreated = specs.of(ENTRY, ScheduleStore.withSpec(new JsonObject(), every("1m")));
    assertEquals(60_000L, recreated.everyMs());
  }

  @Test
  void aDocumentWrittenBeforeSpecsHadATagIsComparedMemberByMember() {
    SpecCache specs = new SpecCache();
    JsonObject doc = new JsonObject().put("spec", every("30s").toJson());
    ScheduleSpec first = specs.of(ENTRY, doc);
    assertSame(first, specs.of(ENTRY, new JsonObject(doc.encode())));
    ScheduleSpec changed = specs.of(ENTRY, new JsonObject().put("spec", every("45s").toJson()));
    assertEquals(45_000L, changed.everyMs());
  }

  @Test
  void keepingOnlySomeEntriesForgetsTheSpecsOfTheOthers() {
    SpecCache specs = new SpecCache();
    specs.of(ENTRY, ScheduleStore.withSpec(new JsonObject(), every("30s")));
    specs.of("acme:default:other", ScheduleStore.withSpec(new JsonObject(), every("30s")));
    specs.keepOnly(java.util.Set.of("acme:default:other"));
    assertEquals(1, specs.size());
  }
}
