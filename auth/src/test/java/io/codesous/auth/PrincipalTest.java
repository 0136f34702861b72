package io.codesous.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PrincipalTest {

  @Test
  void jsonRoundTripKeepsEveryField() {
    Principal principal = new Principal("agent-7", "acme", Set.of("developer", "invoker"), PrincipalKind.SERVICE, "jti-1");
    JsonObject json = principal.toJson();
    assertEquals("service", json.getString("kind"));
    assertEquals(new JsonArray(List.of("developer", "invoker")), json.getJsonArray("roles"));
    assertEquals(principal, Principal.fromJson(new JsonObject(json.encode())));
  }

  @Test
  void missingTokenIdAndKindReadAsNullAndUser() {
    Principal principal = Principal.fromJson(new JsonObject().put("subject", "s").put("tenant", "acme"));
    assertNull(principal.tokenId());
    assertEquals(PrincipalKind.USER, principal.kind());
    assertTrue(principal.roles().isEmpty());
  }

  @Test
  void malformedJsonIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Principal.fromJson(new JsonObject().put("tenant", "acme")));
    assertThrows(IllegalArgumentException.class,
        () -> Principal.fromJson(new JsonObject().put("subject", "s").put("tenant", "acme").put("kind", "robot")));
    assertThrows(IllegalArgumentException.class,
        () -> Principal.fromJson(new JsonObject().put("subject", "s").put("tenant", "acme").put("roles", "admin")));
  }

  @Test
  void rolesCannotBeWidenedAfterConstruction() {
    Set<String> roles = new HashSet<>(Set.of("reader"));
    Principal principal = new Principal("s", "acme", roles, PrincipalKind.USER, null);
    roles.add("admin");
    assertFalse(principal.hasRole("admin"));
    assertThrows(UnsupportedOperationException.class, () -> principal.roles().add("admin"));
  }

  @Test
  void platformAdminNeedsWildcardTenantAndAdminRole() {
    assertTrue(new Principal("op", "*", Set.of("admin"), PrincipalKind.USER, null).isPlatformAdmin());
    assertFalse(new Principal("op", "acme", Set.of("admin"), PrincipalKind.USER, null).isPlatformAdmin());
    Principal scheduler = new Principal("sched", "*", Set.of("service:scheduler"), PrincipalKind.SERVICE, null);
    assertTrue(scheduler.isPlatformWide());
    assertFalse(scheduler.isPlatformAdmin());
  }
}
