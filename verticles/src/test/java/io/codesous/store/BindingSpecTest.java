package io.codesous.store;

import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BindingSpecTest {

  static JsonObject minimal() {
    return new JsonObject().put("domain", "payments").put("tasklist", "payments-activities")
        .put("activity_map", new JsonObject().put("SousInvokeActivity", new JsonObject().put("function", "reconcile")));
  }

  @Test
  void aMinimalBindingGetsItsDefaultsAndReadsBackAsItWasStored() {
    BindingSpec spec = BindingSpec.parse(minimal(), "b");
    assertEquals(2, spec.activityPollers());
    assertEquals(64, spec.maxInflightTasks());
    assertEquals(2.0, spec.heartbeatsPerSecond());
    assertEquals("cs-cadence-poller", spec.workerId());
    assertEquals("latest", spec.activityMap().get("SousInvokeActivity").ref());
    assertEquals(spec, BindingSpec.fromJson(spec.toJson(), "b"));
    JsonObject pinned = minimal().put("activity_map", new JsonObject()
        .put("A", new JsonObject().put("function", "f").put("version", 3))
        .put("B", new JsonObject().put("function", "g").put("alias", "prod")));
    BindingSpec parsed = BindingSpec.parse(pinned, "b");
    assertEquals(parsed, BindingSpec.fromJson(parsed.toJson(), "b"));
    assertEquals("3", parsed.activityMap().get("A").ref());
    assertEquals("prod", parsed.activityMap().get("B").ref());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"domain\": 7}|domain",
      "{\"tasklist\": \"\"}|tasklist",
      "{\"pollers\": {\"activity\": 0}}|pollers.activity",
      "{\"pollers\": {\"activity\": 65}}|pollers.activity",
      "{\"pollers\": {\"decision\": 1}}|pollers.decision",
      "{\"limits\": {\"max_inflight_tasks\": 1.5}}|limits.max_inflight_tasks",
      "{\"heartbeat\": {\"max_per_second\": 0}}|heartbeat.max_per_second",
      "{\"enabled\": \"yes\"}|enabled",
      "{\"activity_map\": {}}|activity_map",
      "{\"activity_map\": {\"A\": \"f\"}}|activity_map.A",
      "{\"activity_map\": {\"A\": {\"function\": \"Bad Name\"}}}|activity_map.A.function",
      "{\"activity_map\": {\"A\": {\"function\": \"f\", \"version\": 0}}}|activity_map.A.version",
      "{\"activity_map\": {\"A\": {\"function\": \"f\", \"alias\": \"a\", \"version\": 1}}}|activity_map.A.alias",
      "{\"surprise\": 1}|surprise",
      "{\"name\": \"other\"}|name"})
  void aBadMemberIsRefusedNamingItsPath(String override, String path) {
    JsonObject body = minimal().mergeIn(new JsonObject(override));
    CsException refused = assertThrows(CsException.class, () -> BindingSpec.parse(body, "b"));
    assertEquals(ErrorCode.CS_VALIDATION_FAILED, refused.code());
    assertEquals(path, refused.details().getString("path"), refused.getMessage());
  }
}
