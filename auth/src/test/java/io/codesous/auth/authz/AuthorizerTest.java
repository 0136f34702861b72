package io.codesous.auth.authz;

import static io.codesous.auth.authz.Decision.Reason.ALLOWED;
import static io.codesous.auth.authz.Decision.Reason.ALLOWED_PLATFORM_WIDE;
import static io.codesous.auth.authz.Decision.Reason.FORBIDDEN;
import static io.codesous.auth.authz.Decision.Reason.NOT_FOUND_OR_FORBIDDEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class AuthorizerTest {

  private static final Authorizer AUTHORIZER = Authorizer.withBuiltInRoles();
  private static final Resource HELLO = Resource.function("default", "hello");

  private static Principal user(String tenant, String... roles) {
    return new Principal("u-" + tenant, tenant, Set.of(roles), PrincipalKind.USER, null);
  }

  private static Principal service(String tenant, String role) {
    return new Principal("svc", tenant, Set.of(role), PrincipalKind.SERVICE, null);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // tenant admin: everything in its tenant, nothing elsewhere
        Arguments.of(user("acme", "admin"), "acme", Action.SECRET_ROTATE, ALLOWED),
        Arguments.of(user("acme", "admin"), "acme", Action.FUNCTION_DELETE, ALLOWED),
        Arguments.of(user("acme", "admin"), "globex", Action.FUNCTION_READ, NOT_FOUND_OR_FORBIDDEN),
        // developer: builds and runs, lists secrets, does not write them
        Arguments.of(user("acme", "developer"), "acme", Action.FUNCTION_CREATE, ALLOWED),
        Arguments.of(user("acme", "developer"), "acme", Action.FUNCTION_PUBLISH, ALLOWED),
        Arguments.of(user("acme", "developer"), "acme", Action.ALIAS_UPDATE, ALLOWED),
        Arguments.of(user("acme", "developer"), "acme", Action.SCHEDULE_UPDATE, ALLOWED),
        Arguments.of(user("acme", "developer"), "acme", Action.BINDING_CREATE, ALLOWED),
        Arguments.of(user("acme", "developer"), "acme", Action.SECRET_LIST, ALLOWED),
        Arguments.of(user("acme", "developer"), "acme", Action.SECRET_CREATE, FORBIDDEN),
        Arguments.of(user("acme", "developer"), "acme", Action.SECRET_ROTATE, FORBIDDEN),
        Arguments.of(user("acme", "developer"), "acme", Action.SECRET_DELETE, FORBIDDEN),
        Arguments.of(user("acme", "developer"), "globex", Action.FUNCTION_CREATE, NOT_FOUND_OR_FORBIDDEN),
        // invoker: invoke only
        Arguments.of(user("acme", "invoker"), "acme", Action.FUNCTION_INVOKE, ALLOWED),
        Arguments.of(user("acme", "invoker"), "acme", Action.FUNCTION_READ, FORBIDDEN),
        Arguments.of(user("acme", "invoker"), "acme", Action.ACTIVATION_READ, FORBIDDEN),
        Arguments.of(user("acme", "invoker"), "globex", Action.FUNCTION_INVOKE, NOT_FOUND_OR_FORBIDDEN),
        // reader: reads and lists, nothing else
        Arguments.of(user("acme", "reader"), "acme", Action.FUNCTION_LIST, ALLOWED),
        Arguments.of(user("acme", "reader"), "acme", Action.ALIAS_READ, ALLOWED),
        Arguments.of(user("acme", "reader"), "acme", Action.ACTIVATION_READ, ALLOWED),
        Arguments.of(user("acme", "reader"), "acme", Action.SCHEDULE_LIST, ALLOWED),
        Arguments.of(user("acme", "reader"), "acme", Action.FUNCTION_INVOKE, FORBIDDEN),
        Arguments.of(user("acme", "reader"), "acme", Action.DRAFT_CREATE, FORBIDDEN),
        // roles add up
        Arguments.of(user("acme", "reader", "invoker"), "acme", Action.FUNCTION_INVOKE, ALLOWED),
        // no roles, unknown roles: nothing
        Arguments.of(user("acme"), "acme", Action.FUNCTION_READ, FORBIDDEN),
        Arguments.of(user("acme", "superuser"), "acme", Action.FUNCTION_READ, FORBIDDEN),
        // platform admin: everything everywhere
        Arguments.of(user("*", "admin"), "acme", Action.SECRET_DELETE, ALLOWED_PLATFORM_WIDE),
        Arguments.of(user("*", "admin"), "globex", Action.FUNCTION_INVOKE, ALLOWED_PLATFORM_WIDE),
        // platform-wide principals without admin: their role, in every tenant
        Arguments.of(user("*", "reader"), "globex", Action.FUNCTION_READ, ALLOWED_PLATFORM_WIDE),
        Arguments.of(user("*", "reader"), "globex", Action.FUNCTION_DELETE, FORBIDDEN),
        Arguments.of(service("*", "service:scheduler"), "acme", Action.FUNCTION_INVOKE, ALLOWED_PLATFORM_WIDE),
        Arguments.of(service("*", "service:scheduler"), "acme", Action.SCHEDULE_LIST, ALLOWED_PLATFORM_WIDE),
        Arguments.of(service("*", "service:scheduler"), "acme", Action.SCHEDULE_UPDATE, FORBIDDEN),
        Arguments.of(service("*", "service:scheduler"), "acme", Action.BINDING_READ, FORBIDDEN),
        Arguments.of(service("*", "service:cadence-poller"), "acme", Action.BINDING_LIST, ALLOWED_PLATFORM_WIDE),
        Arguments.of(service("*", "service:cadence-poller"), "acme", Action.FUNCTION_INVOKE, ALLOWED_PLATFORM_WIDE),
        Arguments.of(service("*", "service:cadence-poller"), "acme", Action.SECRET_LIST, FORBIDDEN),
        // a tenant-bound service principal stays in its tenant
        Arguments.of(service("acme", "service:scheduler"), "globex", Action.FUNCTION_INVOKE, NOT_FOUND_OR_FORBIDDEN),
        // a request must name a real tenant; "*" is not one, not even for the platform admin
        Arguments.of(user("*", "admin"), "*", Action.FUNCTION_LIST, NOT_FOUND_OR_FORBIDDEN),
        Arguments.of(user("acme", "admin"), "*", Action.FUNCTION_LIST, NOT_FOUND_OR_FORBIDDEN),
        Arguments.of(user("acme", "admin"), "ACME", Action.FUNCTION_LIST, NOT_FOUND_OR_FORBIDDEN),
        Arguments.of(user("acme", "admin"), null, Action.FUNCTION_LIST, NOT_FOUND_OR_FORBIDDEN));
  }

  @ParameterizedTest(name = "{0} in {1}: {2} -> {3}")
  @MethodSource("table")
  void decides(Principal principal, String tenant, Action action, Decision.Reason expected) {
    Decision decision = AUTHORIZER.check(principal, tenant, HELLO, action);
    assertEquals(expected, decision.reason(), decision.detail());
    assertEquals(expected == ALLOWED || expected == ALLOWED_PLATFORM_WIDE, decision.allowed());
  }

  @ParameterizedTest
  @EnumSource(Action.class)
  void adminOfATenantMayDoEveryActionThereAndNoneElsewhere(Action action) {
    assertTrue(AUTHORIZER.check(user("acme", "admin"), "acme", HELLO, action).allowed());
    assertEquals(NOT_FOUND_OR_FORBIDDEN, AUTHORIZER.check(user("acme", "admin"), "globex", HELLO, action).reason());
    assertEquals(ALLOWED_PLATFORM_WIDE, AUTHORIZER.check(user("*", "admin"), "globex", HELLO, action).reason());
  }

  @Test
  void crossTenantDenialReadsTheSameWhateverTheRoles() {
    // the reason does not tell whether the caller's roles would have sufficed there
    for (String role : List.of("admin", "developer", "reader", "invoker", "nothing")) {
      assertEquals(NOT_FOUND_OR_FORBIDDEN,
          AUTHORIZER.check(user("acme", role), "globex", HELLO, Action.FUNCTION_READ).reason());
    }
  }

  @Test
  void tenantOverridesApplyOnlyInThatTenant() {
    Authorizer authorizer = new Authorizer(RolePolicy.fromJson(new JsonObject()
        .put("tenants", new JsonObject().put("acme", new JsonObject().put("roles", new JsonObject()
            .put("invoker", new io.vertx.core.json.JsonArray().add("function:invoke").add("activation:read")))))));
    assertTrue(authorizer.check(user("acme", "invoker"), "acme", HELLO, Action.ACTIVATION_READ).allowed());
    assertEquals(FORBIDDEN, authorizer.check(user("globex", "invoker"), "globex", HELLO, Action.ACTIVATION_READ).reason());
  }

  @Test
  void invokeNeedsTheActionAndAListedRoleWhenTheVersionHasAList() {
    Principal invoker = user("acme", "invoker");
    Principal partner = user("acme", "invoker", "partner");
    Principal reader = user("acme", "reader", "partner");
    List<String> partnersOnly = List.of("partner");

    assertEquals(ALLOWED, AUTHORIZER.checkInvoke(invoker, "acme", HELLO, List.of()).reason());
    assertEquals(ALLOWED, AUTHORIZER.checkInvoke(invoker, "acme", HELLO, null).reason());
    assertEquals(FORBIDDEN, AUTHORIZER.checkInvoke(invoker, "acme", HELLO, partnersOnly).reason());
    assertEquals(ALLOWED, AUTHORIZER.checkInvoke(partner, "acme", HELLO, partnersOnly).reason());
    // a listed role without function:invoke is not enough
    assertEquals(FORBIDDEN, AUTHORIZER.checkInvoke(reader, "acme", HELLO, partnersOnly).reason());
    // the tenant check comes first: another tenant's function stays invisible
    assertEquals(NOT_FOUND_OR_FORBIDDEN,
        AUTHORIZER.checkInvoke(user("globex", "invoker", "partner"), "acme", HELLO, partnersOnly).reason());
    // admins get no exception from a list that leaves them out
    assertEquals(FORBIDDEN, AUTHORIZER.checkInvoke(user("*", "admin"), "acme", HELLO, partnersOnly).reason());
    assertEquals(ALLOWED_PLATFORM_WIDE,
        AUTHORIZER.checkInvoke(service("*", "service:scheduler"), "acme", HELLO, List.of("service:scheduler")).reason());
  }

  @Test
  void invokeRolesHelper() {
    Principal principal = user("acme", "invoker", "partner");
    assertTrue(InvokeRoles.allowed(principal, List.of()));
    assertTrue(InvokeRoles.allowed(principal, null));
    assertTrue(InvokeRoles.allowed(principal, List.of("other", "partner")));
    assertFalse(InvokeRoles.allowed(principal, List.of("other")));
    assertFalse(InvokeRoles.allowed(user("acme"), List.of("other")));
  }
}
