package io.codesous.scheduler;

import io.codesous.store.ScheduleDocument;
import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleState;
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

  static JsonObject written(ScheduleSpec spec, String... roles) {
    return ScheduleStore.withSpec(new JsonObject().put("tenant", "acme").put("namespace", "default")
        .put("name", "nightly").put("principal", new JsonObject().put("subject", "ada").put("tenant", "acme")
            .put("roles", new io.vertx.core.json.JsonArray(java.util.List.of(roles)))), spec);
  }

  @Test
  void theRunsOfASpecWrittenOnceCarryOnePrincipalBuiltFromTheWriter() {
    SpecCache specs = new SpecCache();
    JsonObject doc = written(every("30s"), "developer");
    specs.of(ENTRY, doc);
    Runner runner = specs.runner(ENTRY, new JsonObject(doc.encode()));
    assertSame(runner, specs.runner(ENTRY, new JsonObject(doc.encode())));
    assertEquals(TickPublisher.servicePrincipal(doc), runner.principal());
    assertEquals(runner.principal().toJson(), runner.json(), "the JSON every run's request carries");
    assertEquals("cs-scheduler/default/nightly", runner.principal().subject());
    assertEquals(java.util.Set.of("developer"), runner.principal().roles());
  }

  @Test
  void aDocumentHeldAsFieldsGivesTheSpecAndRunnerItsJsonGives() {
    SpecCache specs = new SpecCache();
    JsonObject doc = written(every("30s"), "developer").put("state", ScheduleState.empty());
    ScheduleDocument held = ScheduleDocument.parse(doc.encode());
    assertSame(specs.of(ENTRY, doc), specs.of(ENTRY, held));
    assertSame(specs.runner(ENTRY, doc), specs.runner(ENTRY, held));
    assertEquals(TickPublisher.servicePrincipal(doc), specs.runner(ENTRY, held).principal());
  }

  @Test
  void aScheduleWrittenAgainByAnotherWriterRunsWithTheNewWritersRoles() {
    SpecCache specs = new SpecCache();
    JsonObject first = written(every("30s"), "developer");
    specs.of(ENTRY, first);
    specs.runner(ENTRY, first);
    JsonObject again = written(every("30s"), "viewer");
    specs.of(ENTRY, again);
    assertEquals(java.util.Set.of("viewer"), specs.runner(ENTRY, again).principal().roles());
  }

  @Test
  void anUntaggedDocumentsRunsGetThePrincipalOfWhatItHoldsNow() {
    SpecCache specs = new SpecCache();
    JsonObject doc = written(every("30s"), "developer");
    doc.remove(ScheduleStore.SPEC_TAG);
    specs.of(ENTRY, doc);
    assertEquals(java.util.Set.of("developer"), specs.runner(ENTRY, doc).principal().roles());
    doc.getJsonObject("principal").put("roles", new io.vertx.core.json.JsonArray().add("viewer"));
    assertEquals(java.util.Set.of("viewer"), specs.runner(ENTRY, doc).principal().roles());
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
