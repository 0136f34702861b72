package io.codesous.auth.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RolePolicyTest {

  private static JsonObject roles(String role, String... actions) {
    return new JsonObject().put(role, new JsonArray(java.util.List.of((Object[]) actions)));
  }

  @Test
  void builtInRoles() {
    RolePolicy policy = RolePolicy.builtIn();
    assertEquals(EnumSet.allOf(Action.class), policy.actionsOf("acme", "admin"));
    assertEquals(Set.of(Action.FUNCTION_INVOKE), policy.actionsOf("acme", "invoker"));
    assertTrue(policy.actionsOf("acme", "reader").stream().allMatch(Action::isReadOnly));
    assertTrue(policy.actionsOf("acme", "reader").contains(Action.SECRET_LIST));
    assertFalse(policy.actionsOf("acme", "developer").contains(Action.SECRET_CREATE));
    assertTrue(policy.actionsOf("acme", "developer").contains(Action.SECRET_LIST));
    assertTrue(policy.actionsOf("acme", "unknown").isEmpty());
  }

  @Test
  void tenantDefinitionWinsOverGlobalWhichWinsOverBuiltIn() {
    RolePolicy policy = RolePolicy.fromJson(new JsonObject()
        .put("roles", roles("reader", "function:read").mergeIn(roles("release-bot", "draft:create", "function:publish", "alias:*")))
        .put("tenants", new JsonObject().put("acme", new JsonObject().put("roles", roles("reader", "function:*")))));

    assertEquals(EnumSet.of(Action.FUNCTION_CREATE, Action.FUNCTION_READ, Action.FUNCTION_DELETE, Action.FUNCTION_LIST,
        Action.FUNCTION_PUBLISH, Action.FUNCTION_INVOKE), policy.actionsOf("acme", "reader"));
    assertEquals(Set.of(Action.FUNCTION_READ), policy.actionsOf("globex", "reader"));
    assertEquals(EnumSet.of(Action.DRAFT_CREATE, Action.FUNCTION_PUBLISH, Action.ALIAS_UPDATE, Action.ALIAS_READ),
        policy.actionsOf("globex", "release-bot"));
    assertEquals(Set.of(Action.FUNCTION_INVOKE), policy.actionsOf("acme", "invoker"));
  }

  @Test
  void anEmptyListDisablesARoleInATenant() {
    RolePolicy policy = RolePolicy.fromJson(new JsonObject()
        .put("tenants", new JsonObject().put("acme", new JsonObject().put("roles", roles("invoker")))));
    assertFalse(policy.grants("acme", Set.of("invoker"), Action.FUNCTION_INVOKE));
    assertTrue(policy.grants("globex", Set.of("invoker"), Action.FUNCTION_INVOKE));
  }

  @Test
  void adminCannotBeRedefined() {
    assertThrows(IllegalArgumentException.class,
        () -> RolePolicy.fromJson(new JsonObject().put("roles", roles("admin", "function:read"))));
    assertThrows(IllegalArgumentException.class, () -> RolePolicy.fromJson(new JsonObject()
        .put("tenants", new JsonObject().put("acme", new JsonObject().put("roles", roles("admin"))))));
  }

  @Test
  void malformedConfigurationFailsAtLoad() {
    assertThrows(IllegalArgumentException.class,
        () -> RolePolicy.fromJson(new JsonObject().put("roles", roles("bot", "function:fly"))));
    assertThrows(IllegalArgumentException.class,
        () -> RolePolicy.fromJson(new JsonObject().put("roles", roles("bot", "widget:*"))));
    assertThrows(IllegalArgumentException.class,
        () -> RolePolicy.fromJson(new JsonObject().put("roles", roles("Bad Role", "function:read"))));
    assertThrows(IllegalArgumentException.class, () -> RolePolicy.fromJson(new JsonObject()
        .put("tenants", new JsonObject().put("*", new JsonObject().put("roles", roles("bot", "function:read"))))));
    assertThrows(IllegalArgumentException.class,
        () -> RolePolicy.fromJson(new JsonObject().put("roles", new JsonObject().put("bot", "function:read"))));
  }

  @Test
  void jsonRoundTrip() {
    RolePolicy policy = RolePolicy.fromJson(new JsonObject()
        .put("roles", roles("release-bot", "draft:create", "function:publish"))
        .put("tenants", new JsonObject().put("acme", new JsonObject().put("roles", roles("developer", "*")))));
    JsonObject json = new JsonObject(policy.toJson().encode());
    assertEquals(policy, RolePolicy.fromJson(json));
    assertEquals(RolePolicy.builtIn(), RolePolicy.fromJson(RolePolicy.builtIn().toJson()));
  }

  @Test
  void actionPatterns() {
    assertEquals(EnumSet.allOf(Action.class), Action.matching("*"));
    assertEquals(EnumSet.of(Action.SECRET_CREATE, Action.SECRET_ROTATE, Action.SECRET_DELETE, Action.SECRET_LIST),
        Action.matching("secret:*"));
    assertEquals(EnumSet.of(Action.ALIAS_READ), Action.matching("alias:read"));
    assertEquals(Action.SCHEDULE_UPDATE, Action.fromId("schedule:update"));
    assertThrows(IllegalArgumentException.class, () -> Action.fromId("schedule:fly"));
  }
}
