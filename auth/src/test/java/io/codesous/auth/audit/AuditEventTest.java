package io.codesous.auth.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.codesous.auth.authz.Action;
import io.codesous.auth.authz.Resource;
import io.vertx.core.json.JsonObject;

import java.util.Set;

import org.junit.jupiter.api.Test;

class AuditEventTest {

  private static final Principal AGENT = new Principal("agent-7", "acme", Set.of("developer"), PrincipalKind.USER, "t1");

  @Test
  void successRoundTripsThroughJson() {
    AuditEvent event = AuditEvent.success(AGENT, "acme", Action.FUNCTION_PUBLISH, Resource.function("default", "hello"), "req-1");
    JsonObject json = new JsonObject(event.toJson().encode());
    assertEquals("cs.audit.v1", json.getString("schema"));
    assertEquals("function:publish", json.getString("action"));
    assertEquals("function:default/hello", json.getString("resource"));
    assertEquals("success", json.getString("outcome"));
    assertEquals(event, AuditEvent.fromJson(json));
  }

  @Test
  void theCallersOwnTenantIsRecordedBesideTheTenantItNamed() {
    Principal stranger = new Principal("mallory", "globex", Set.of("admin"), PrincipalKind.USER, "t2");
    AuditEvent event = AuditEvent.failure(stranger, "acme", Action.SECRET_DELETE, Resource.secret("default", "db"),
        "req-3", "CS_NOT_FOUND");
    JsonObject json = new JsonObject(event.toJson().encode());
    assertEquals("mallory", json.getString("subject"));
    assertEquals("globex", json.getString("principal_tenant"));
    assertEquals("acme", json.getString("tenant"));
    assertEquals(event, AuditEvent.fromJson(json));
    Principal operator = new Principal("admin", Principal.ALL_TENANTS, Set.of("admin"), PrincipalKind.USER, null);
    assertEquals("*", AuditEvent.success(operator, "acme", Action.SECRET_CREATE, Resource.secret("default", null), "r")
        .toJson().getString("principal_tenant"));
  }

  @Test
  void unauthenticatedFailureHasNoSubject() {
    AuditEvent event = AuditEvent.failure(null, "acme", Action.FUNCTION_LIST, Resource.functions("default"), "req-2",
        "CS_UNAUTHENTICATED");
    assertNull(event.subject());
    assertNull(event.principalTenant());
    assertEquals("CS_UNAUTHENTICATED", AuditEvent.fromJson(event.toJson()).errorCode());
    assertEquals("function:default", event.resource());
  }

  @Test
  void outcomeAndErrorCodeMustAgree() {
    assertThrows(IllegalArgumentException.class,
        () -> new AuditEvent("s", "acme", "acme", "function:read", null, "r", AuditEvent.Outcome.FAILURE, null, 1L));
    assertThrows(IllegalArgumentException.class,
        () -> new AuditEvent("s", "acme", "acme", "function:read", null, "r", AuditEvent.Outcome.SUCCESS, "CS_X", 1L));
  }

  @Test
  void foreignJsonIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> AuditEvent.fromJson(new JsonObject().put("action", "x")));
    assertThrows(IllegalArgumentException.class, () -> AuditEvent.fromJson(new JsonObject()
        .put("schema", AuditEvent.SCHEMA).put("action", "x").put("outcome", "maybe").put("time_ms", 1)));
  }
}
