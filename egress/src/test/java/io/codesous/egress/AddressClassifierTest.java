package io.codesous.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressClassifierTest {

  private static IpLiteral ip(String text) {
    return text.contains(":")
        ? IpLiteral.parseIpv6(text).orElseThrow()
        : IpLiteral.parseIpv4(text).orElseThrow();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      // IPv4
      "0.0.0.0, UNSPECIFIED",
      "0.255.255.255, UNSPECIFIED",
      "10.0.0.1, PRIVATE",
      "10.255.255.255, PRIVATE",
      "100.64.0.1, SHARED",
      "100.127.255.255, SHARED",
      "100.128.0.1, PUBLIC",
      "100.63.255.255, PUBLIC",
      "127.0.0.1, LOOPBACK",
      "127.255.255.254, LOOPBACK",
      "169.254.0.1, LINK_LOCAL",
      "169.254.169.254, CLOUD_METADATA",
      "169.254.170.2, CLOUD_METADATA",
      "169.254.170.23, CLOUD_METADATA",
      "169.254.0.23, CLOUD_METADATA",
      "100.100.100.200, CLOUD_METADATA",
      "192.0.0.192, CLOUD_METADATA",
      "168.63.129.16, CLOUD_METADATA",
      "168.63.129.17, PUBLIC",
      "172.15.255.255, PUBLIC",
      "172.16.0.1, PRIVATE",
      "172.31.255.255, PRIVATE",
      "172.32.0.1, PUBLIC",
      "192.0.0.1, IETF_PROTOCOL",
      "192.0.2.1, DOCUMENTATION",
      "192.88.99.1, RESERVED",
      "192.167.255.255, PUBLIC",
      "192.168.0.1, PRIVATE",
      "192.168.255.255, PRIVATE",
      "192.169.0.1, PUBLIC",
      "198.17.255.255, PUBLIC",
      "198.18.0.1, BENCHMARKING",
      "198.19.255.255, BENCHMARKING",
      "198.20.0.1, PUBLIC",
      "198.51.100.1, DOCUMENTATION",
      "203.0.113.1, DOCUMENTATION",
      "224.0.0.1, MULTICAST",
      "239.255.255.255, MULTICAST",
      "240.0.0.1, RESERVED",
      "255.255.255.254, RESERVED",
      "255.255.255.255, BROADCAST",
      "1.1.1.1, PUBLIC",
      "8.8.8.8, PUBLIC",
      "93.184.216.34, PUBLIC",
      "223.255.255.255, PUBLIC",
      // IPv6 plain
      "::, UNSPECIFIED",
      "::1, LOOPBACK",
      "fc00::1, UNIQUE_LOCAL",
      "fd12:3456::1, UNIQUE_LOCAL",
      "fd00:ec2::254, CLOUD_METADATA",
      "fd00:ec2::23, CLOUD_METADATA",
      "fe80::1, LINK_LOCAL",
      "febf::1, LINK_LOCAL",
      "fec0::1, SITE_LOCAL",
      "ff02::1, MULTICAST",
      "ff0e::1, MULTICAST",
      "100::1, RESERVED",
      "::1:0:0:0:1, RESERVED",
      "::2:1, UNSPECIFIED", // IPv4-compatible form of 0.2.0.1
      "1::, RESERVED",
      "4000::1, RESERVED",
      "2001:db8::1, DOCUMENTATION",
      "3fff::1, DOCUMENTATION",
      "2001:2::1, BENCHMARKING",
      "2001:10::1, RESERVED",
      "2001:20::1, RESERVED",
      "5f00::1, RESERVED",
      "2001:0:4136:e378:8000:63bf:3fff:fdd2, TEREDO",
      "2001:4860:4860::8888, PUBLIC",
      "2606:4700:4700::1111, PUBLIC",
      "2a00:1450:4001:800::200e, PUBLIC",
      // IPv6 embedding IPv4
      "::ffff:127.0.0.1, LOOPBACK",
      "::ffff:7f00:1, LOOPBACK",
      "::ffff:10.0.0.1, PRIVATE",
      "::ffff:169.254.169.254, CLOUD_METADATA",
      "::ffff:a9fe:a9fe, CLOUD_METADATA",
      "::ffff:8.8.8.8, PUBLIC",
      "::127.0.0.1, LOOPBACK",
      "::10.0.0.1, PRIVATE",
      "::8.8.8.8, IPV4_COMPATIBLE",
      "::ffff:0:127.0.0.1, LOOPBACK",
      "::ffff:0:8.8.8.8, RESERVED",
      "64:ff9b::7f00:1, LOOPBACK",
      "64:ff9b::127.0.0.1, LOOPBACK",
      "64:ff9b::a9fe:a9fe, CLOUD_METADATA",
      "64:ff9b::10.1.2.3, PRIVATE",
      "64:ff9b::8.8.8.8, PUBLIC",
      "64:ff9b:1::a00:1, PRIVATE",
      "64:ff9b:1:a08:8:808:808:808, PRIVATE", // public in every placement but /48
      "64:ff9b:1:808:8:808:808:808, PUBLIC", // 8.8.8.8 in every placement
      "64:ff9b:1:808:7f:0:108:808, LOOPBACK", // loopback in the /64 placement only
      "64:ff9b:1::808:808, UNSPECIFIED", // the /48 to /64 placements read 0.x.x.x
      "64:ff9b:2::1, RESERVED",
      "2002:7f00:1::, LOOPBACK",
      "2002:a00:1::1, PRIVATE",
      "2002:a9fe:a9fe::, CLOUD_METADATA",
      "2002:808:808::1, PUBLIC",
  })
  void classifies(String address, AddressClass expected) {
    assertEquals(expected, AddressClassifier.classify(ip(address)), address);
  }

  @ParameterizedTest(name = "{0} embeds {2} via {1}")
  @CsvSource({
      "::ffff:127.0.0.1, IPV4_MAPPED, 127.0.0.1",
      "::ffff:7f00:1, IPV4_MAPPED, 127.0.0.1",
      "::127.0.0.1, IPV4_COMPATIBLE, 127.0.0.1",
      "::ffff:0:a00:1, IPV4_TRANSLATED, 10.0.0.1",
      "64:ff9b::7f00:1, NAT64_WELL_KNOWN, 127.0.0.1",
      "64:ff9b::169.254.169.254, NAT64_WELL_KNOWN, 169.254.169.254",
      "2002:c0a8:101::, SIX_TO_FOUR, 192.168.1.1",
      "2002:0808:0808:1234::1, SIX_TO_FOUR, 8.8.8.8",
  })
  void extractsTheEmbeddedIpv4(String address, Ipv6Embedding embedding, String ipv4) {
    assertEquals(embedding, Ipv6Embedding.of(ip(address)));
    assertEquals(List.of(ipv4), embedding.embeddedIpv4(ip(address)).stream()
        .map(IpLiteral::canonical).collect(Collectors.toList()));
  }

  @Test
  void localUseNat64YieldsEveryRfc6052Placement() {
    // bytes 6..15 = aa bb | cc 00 (byte 8 is the u octet) | dd ee ff 00 11 22
    IpLiteral address = ip("64:ff9b:1:aabb:cc00:ddee:ff00:1122");
    assertEquals(Ipv6Embedding.NAT64_LOCAL_USE, Ipv6Embedding.of(address));
    // /96, /64, /56, /48
    assertEquals(List.of("255.0.17.34", "0.221.238.255", "187.0.221.238", "170.187.0.221"),
        Ipv6Embedding.NAT64_LOCAL_USE.embeddedIpv4(address).stream()
            .map(IpLiteral::canonical).collect(Collectors.toList()));
  }

  @ParameterizedTest
  @CsvSource({"::", "::1", "2001:db8::1", "fe80::1", "64:ff9b:2::1", "127.0.0.1"})
  void plainAddressesEmbedNothing(String address) {
    assertNull(Ipv6Embedding.of(ip(address)));
  }

  @Test
  void loopbackIsLiftedOnlyWhereTheKernelDeliversLocally() {
    AddressPolicy strict = new AddressPolicy(false);
    AddressPolicy loopbackAllowed = new AddressPolicy(true);
    for (String local : List.of("127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1")) {
      assertEquals(AddressClass.LOOPBACK, strict.refusal(ip(local)), local);
      assertTrue(loopbackAllowed.permits(ip(local)), local);
    }
    // through a translator, "loopback" is a gateway's loopback, never ours
    for (String translated : List.of("64:ff9b::7f00:1", "2002:7f00:1::", "::127.0.0.1")) {
      assertEquals(AddressClass.LOOPBACK, loopbackAllowed.refusal(ip(translated)), translated);
    }
  }

  @Test
  void allowingLoopbackLiftsNothingElse() {
    AddressPolicy loopbackAllowed = new AddressPolicy(true);
    for (String refused : List.of("169.254.169.254", "10.0.0.1", "0.0.0.0", "::", "fe80::1",
        "fd00:ec2::254", "100.100.100.200", "::ffff:192.168.0.1")) {
      assertFalse(loopbackAllowed.permits(ip(refused)), refused);
    }
    assertTrue(loopbackAllowed.permits(ip("93.184.216.34")));
    assertTrue(new AddressPolicy(false).permits(ip("2606:4700:4700::1111")));
  }
}
