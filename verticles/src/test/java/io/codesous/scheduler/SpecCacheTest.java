package io.codesous.scheduler;

import io.codesous.auth.Principal;
import io.codesous.store.ScheduleDocument;
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
    ScheduleSpec first = specs.of(ENTRY, held(doc));
    assertSame(first, specs.of(ENTRY, held(new JsonObject(doc.encode()))));
  }

  @Test
  void aSpecWrittenAgainIsParsedAgainEvenWhenTheScheduleWasDeletedAndCreated() {
    SpecCache specs = new SpecCache();
    ScheduleSpec first = specs.of(ENTRY, held(ScheduleStore.withSpec(new JsonObject(), every("30s"))));
    ScheduleSpec paused = specs.of(ENTRY, held(ScheduleStore.withSpec(new JsonObject(), every("30s").withEnabled(false))));
    assertNotSame(first, paused);
    assertFalse(paused.enabled());
    ScheduleSpec recreated = specs.of(ENTRY, held(ScheduleStore.withSpec(new JsonObject(), every("1m"))));
    assertEquals(60_000L, recreated.everyMs());
  }

  @Test
  void aDocumentWrittenBeforeSpecsHadATagIsComparedMemberByMember() {
    SpecCache specs = new SpecCache();
    JsonObject doc = new JsonObject().put("spec", every("30s").toJson());
    ScheduleSpec first = specs.of(ENTRY, held(doc));
    assertSame(first, specs.of(ENTRY, held(new JsonObject(doc.encode()))));
    ScheduleSpec changed = specs.of(ENTRY, held(new JsonObject().put("spec", every("45s").toJson())));
    assertEquals(45_000L, changed.everyMs());
  }

  /** The document {@code doc} as the leader holds it. */
  static ScheduleDocument held(JsonObject doc) {
    return ScheduleDocument.parse(doc.encode());
  }

  static Principal servicePrincipal(JsonObject doc) {
    ScheduleDocument held = held(doc);
    return TickPublisher.servicePrincipal(held.owner(), held.principal());
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
    specs.of(ENTRY, held(doc));
    Runner runner = specs.runner(ENTRY, held(new JsonObject(doc.encode())));
    assertSame(runner, specs.runner(ENTRY, held(new JsonObject(doc.encode()))));
    assertEquals(servicePrincipal(doc), runner.principal());
    assertEquals(runner.principal().toJson(), runner.json(), "the JSON every run's request carries");
    assertEquals("cs-scheduler/default/nightly", runner.principal().subject());
    assertEquals(java.util.Set.of("developer"), runner.principal().roles());
  }

  @Test
  void aScheduleWrittenAgainByAnotherWriterRunsWithTheNewWritersRoles() {
    SpecCache specs = new SpecCache();
    JsonObject first = written(every("30s"), "developer");
    specs.of(ENTRY, held(first));
    specs.runner(ENTRY, held(first));
    JsonObject again = written(every("30s"), "viewer");
    specs.of(ENTRY, held(again));
    assertEquals(java.util.Set.of("viewer"), specs.runner(ENTRY, held(again)).principal().roles());
  }

  @Test
  void anUntaggedDocumentsRunsGetThePrincipalOfWhatItHoldsNow() {
    SpecCache specs = new SpecCache();
    JsonObject doc = written(every("30s"), "developer");
    doc.remove(ScheduleStore.SPEC_TAG);
    specs.of(ENTRY, held(doc));
    assertEquals(java.util.Set.of("developer"), specs.runner(ENTRY, held(doc)).principal().roles());
    doc.getJsonObject("principal").put("roles", new io.vertx.core.json.JsonArray().add("viewer"));
    assertEquals(java.util.Set.of("viewer"), specs.runner(ENTRY, held(doc)).principal().roles());
  }

  @Test
  void keepingOnlySomeEntriesForgetsTheSpecsOfTheOthers() {
    SpecCache specs = new SpecCache();
    specs.of(ENTRY, held(ScheduleStore.withSpec(new JsonObject(), every("30s"))));
    specs.of("acme:default:other", held(ScheduleStore.withSpec(new JsonObject(), every("30s"))));
    specs.keepOnly(java.util.Set.of("acme:default:other"));
    assertEquals(1, specs.size());
  }
}
