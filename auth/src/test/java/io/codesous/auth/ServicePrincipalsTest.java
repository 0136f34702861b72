package io.codesous.auth;

import io.codesous.auth.authz.Action;
import io.codesous.auth.authz.Authorizer;
import io.codesous.auth.authz.Resource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServicePrincipalsTest {

  final Authorizer authorizer = Authorizer.withBuiltInRoles();
  final Resource fn = Resource.function("default", "report");

  @Test
  void theSchedulerMayInvokeAndReadSchedulesInEveryTenantAndChangeNothing() {
    Principal scheduler = ServicePrincipals.SCHEDULER;
    assertEquals(PrincipalKind.SERVICE, scheduler.kind());
    for (String tenant : List.of("acme", "globex")) {
      assertTrue(authorizer.check(scheduler, tenant, fn, Action.FUNCTION_INVOKE).allowed());
      assertTrue(authorizer.check(scheduler, tenant, fn, Action.SCHEDULE_LIST).allowed());
      assertFalse(authorizer.check(scheduler, tenant, fn, Action.SCHEDULE_UPDATE).allowed());
      assertFalse(authorizer.check(scheduler, tenant, fn, Action.FUNCTION_READ).allowed());
      assertFalse(authorizer.check(scheduler, tenant, fn, Action.SECRET_LIST).allowed());
    }
  }

  @Test
  void eachServiceIsKeptToTheTriggersAVersionListsItFor() {
    List<String> scheduleOnly = List.of("service:scheduler");
    assertTrue(authorizer.checkInvoke(ServicePrincipals.SCHEDULER, "acme", fn, scheduleOnly).allowed());
    assertFalse(authorizer.checkInvoke(ServicePrincipals.CADENCE_POLLER, "acme", fn, scheduleOnly).allowed());
    assertTrue(authorizer.checkInvoke(ServicePrincipals.CADENCE_POLLER, "acme", fn, List.of()).allowed());
    assertFalse(authorizer.check(ServicePrincipals.CADENCE_POLLER, "acme", fn, Action.BINDING_UPDATE).allowed());
    assertTrue(authorizer.check(ServicePrincipals.CADENCE_POLLER, "acme", fn, Action.BINDING_READ).allowed());
  }

  @Test
  void servicePrincipalsSurviveTheTripThroughAQueueMessage() {
    assertEquals(ServicePrincipals.SCHEDULER, Principal.fromJson(ServicePrincipals.SCHEDULER.toJson()));
    assertEquals(ServicePrincipals.CADENCE_POLLER, Principal.fromJson(ServicePrincipals.CADENCE_POLLER.toJson()));
  }
}
