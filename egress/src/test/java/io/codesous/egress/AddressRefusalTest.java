package io.codesous.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Metadata, private and otherwise internal addresses are refused before any connection, as
 * literals in any spelling and as DNS answers. Policies here allow loopback on purpose: the flag
 * must lift nothing but loopback. The dial guard keeps any regression from sending traffic.
 */
class AddressRefusalTest extends EgressTestSupport {

  /** Every host these tests use is on the allow-list, so only the address policy can refuse. */
  private static final EgressPolicy EVERYTHING_LISTED = loopbackPolicy(
      "169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe",
      "2002:a9fe:a9fe::", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
      "100.64.0.1", "100.100.100.200", "192.0.0.192", "168.63.129.16", "198.18.0.1",
      "224.0.0.1", "255.255.255.255", "240.0.0.1", "192.0.0.8", "fc00::1", "fe80::1", "ff02::1",
      "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2002:a00:1::", "64:ff9b:1::a00:1",
      "::ffff:10.0.0.1", "fec0::1", "metadata.test", "metadata6.test", "private.test",
      "mixed.test", "mixed-loopback.test", "mapped.test", "169.254.0.1", "2001:db8::1");

  @ParameterizedTest(name = "http://{0}/ is refused")
  @ValueSource(strings = {
      "169.254.169.254", "2852039166", "0xa9fea9fe", "0xA9FEA9FE", "0xa9.0xfe.0xa9.0xfe",
      "0251.0376.0251.0376", "169.254.43518", "169.16689662", "0251.0xfe.43518",
      "[::ffff:169.254.169.254]", "[::ffff:a9fe:a9fe]", "[64:ff9b::a9fe:a9fe]",
      "[2002:a9fe:a9fe::]", "[fd00:ec2::254]", "metadata.test", "metadata6.test",
      "100.100.100.200", "192.0.0.192", "168.63.129.16",
  })
  void refusesCloudMetadataInEverySpelling(String host) throws Exception {
    EgressException e = fetchFails("http://" + host + "/latest/meta-data/", EVERYTHING_LISTED);
    assertEquals(EgressFailure.ADDRESS_REFUSED, e.failure(), e.getMessage());
    assertEquals(EgressErrorCode.CS_CAPABILITY_DENIED, e.code());
    assertTrue(e.getMessage().contains("cloud metadata"), e.getMessage());
    assertNothingSent();
  }

  @ParameterizedTest(name = "http://{0}/ is refused")
  @ValueSource(strings = {
      "10.0.0.1", "10.1", "012.0.0.1", "0xa.0.0.1", "167772161", "172.16.0.1", "172.31.255.255",
      "192.168.1.1", "0xc0a80101", "100.64.0.1", "198.18.0.1", "224.0.0.1", "255.255.255.255",
      "4294967295", "240.0.0.1", "192.0.0.8", "169.254.0.1", "[fc00::1]", "[fe80::1]",
      "[ff02::1]", "[fec0::1]", "[2001:db8::1]", "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",
      "[2002:a00:1::]", "[64:ff9b:1::a00:1]", "[::ffff:10.0.0.1]", "private.test",
      "mapped.test",
  })
  void refusesPrivateAndSpecialRanges(String host) throws Exception {
    EgressException e = fetchFails("http://" + host + "/", EVERYTHING_LISTED);
    assertEquals(EgressFailure.ADDRESS_REFUSED, e.failure(), e.getMessage());
    assertNothingSent();
  }

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(strings = {"mixed.test", "mixed-loopback.test"})
  void refusesANameIfAnyAnswerIsRefused(String host) throws Exception {
    EgressException e = fetchFails(url(host, "/echo"), EVERYTHING_LISTED);
    assertEquals(EgressFailure.ADDRESS_REFUSED, e.failure(), e.getMessage());
    assertTrue(e.getMessage().contains(host), e.getMessage());
    assertTrue(e.getMessage().contains("private"), e.getMessage());
    // the resolver's answers are the platform's business, not the function's
    assertFalse(e.getMessage().contains("10.0.0.1"), e.getMessage());
    assertFalse(e.getMessage().contains("93.184.216.34"), e.getMessage());
    assertNothingSent();
  }

  @Test
  void refusesZoneIdentifiers() throws Exception {
    EgressException e = fetchFails("http://[fe80::1%25eth0]/", loopbackPolicy("fe80::1"));
    assertEquals(EgressFailure.ADDRESS_REFUSED, e.failure());
    assertNothingSent();
  }

  @Test
  void literalRefusalsNameTheAddressTheFunctionWrote() throws Exception {
    EgressException e = fetchFails("http://0xa9fea9fe/", EVERYTHING_LISTED);
    assertTrue(e.getMessage().contains("169.254.169.254"), e.getMessage());
    assertEquals(List.of(), resolver.lookups());
  }
}
