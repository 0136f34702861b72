package io.codesous.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EgressPolicyTest {

  @Test
  void matchesNormalizedNames() {
    EgressPolicy policy = EgressPolicy.allowing("Api.Example.COM.", "bücher.de");
    assertEquals(Set.of("api.example.com", "xn--bcher-kva.de"), policy.allowedHosts());
    assertTrue(policy.allows(HostName.parse("api.example.com")));
    assertTrue(policy.allows(HostName.parse("API.EXAMPLE.COM.")));
    assertTrue(policy.allows(HostName.parse("xn--bcher-kva.de")));
    assertFalse(policy.allows(HostName.parse("example.com")));
    assertFalse(policy.allows(HostName.parse("evil.api.example.com")));
    assertFalse(policy.allows(HostName.parse("api.example.com.evil.test")));
  }

  @Test
  void addressEntriesMatchEverySpelling() {
    EgressPolicy policy = EgressPolicy.allowing("93.184.216.34", "2606:4700:4700::1111");
    assertTrue(policy.allows(HostName.parse("1572395042")));
    assertTrue(policy.allows(HostName.parse("0x5d.0xb8.0xd8.0x22")));
    assertTrue(policy.allows(HostName.parse("[2606:4700:4700:0:0:0:0:1111]")));
    assertFalse(policy.allows(HostName.parse("93.184.216.35")));
  }

  @Test
  void emptyAllowListDeniesEverything() {
    assertFalse(EgressPolicy.denyAll().allows(HostName.parse("example.com")));
    assertFalse(EgressPolicy.allowing(List.of()).allows(HostName.parse("example.com")));
    assertFalse(EgressPolicy.denyAll().allowLoopback());
  }

  @Test
  void loopbackIsOffUnlessAskedFor() {
    EgressPolicy policy = EgressPolicy.allowing("ok.test");
    assertFalse(policy.allowLoopback());
    EgressPolicy lifted = policy.withLoopbackAllowed();
    assertTrue(lifted.allowLoopback());
    assertEquals(policy.allowedHosts(), lifted.allowedHosts());
  }

  @Test
  void rejectsWildcardsAndGarbage() {
    assertThrows(IllegalArgumentException.class, () -> EgressPolicy.allowing("*.example.com"));
    assertThrows(IllegalArgumentException.class, () -> EgressPolicy.allowing("exa_mple.com"));
    assertThrows(IllegalArgumentException.class, () -> EgressPolicy.allowing(""));
    assertThrows(IllegalArgumentException.class, () -> EgressPolicy.allowing("1.2.3.256"));
  }
}
