package io.codesous.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostNameTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "example.com, example.com",
      "Example.COM, example.com",
      "example.com., example.com",
      "EXAMPLE.com., example.com",
      "a-b.example, a-b.example",
      "xn--bcher-kva.de, xn--bcher-kva.de",
      "bücher.de, xn--bcher-kva.de",
      "BÜCHER.de, xn--bcher-kva.de",
      "ⓔⓧⓐⓜⓟⓛⓔ.com, example.com",
      "example。com, example.com",
      "localhost, localhost",
      "localhost., localhost",
      "123.example, 123.example",
  })
  void normalizesNames(String raw, String normalized) {
    HostName host = HostName.parse(raw);
    assertFalse(host.isIpLiteral());
    assertEquals(normalized, host.name());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "127.0.0.1, 127.0.0.1",
      "127.0.0.1., 127.0.0.1",
      "2130706433, 127.0.0.1",
      "0X7F.1, 127.0.0.1",
      "１２７.０.０.１, 127.0.0.1",
      "１２７。０。０。１, 127.0.0.1",
      "０ｘ７ｆ.1, 127.0.0.1",
      "[::1], ::1",
      "[0:0:0:0:0:0:0:1], ::1",
      "[::FFFF:127.0.0.1], ::ffff:7f00:1",
      "[64:ff9b::7f00:1], 64:ff9b::7f00:1",
  })
  void recognizesAddressesInEverySpelling(String raw, String canonical) {
    HostName host = HostName.parse(raw);
    assertTrue(host.isIpLiteral(), raw);
    assertEquals(canonical, host.name());
  }

  @Test
  void bracketsIpv6InUriForm() {
    assertEquals("[::1]", HostName.parse("[::1]").uriForm());
    assertEquals("127.0.0.1", HostName.parse("0x7f000001").uriForm());
    assertEquals("example.com", HostName.parse("Example.com.").uriForm());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", ".", "..", "example.com..", "a..b", "a_b.example", "-a.example", "a-.example",
      "ex%41mple.com", "%31%32%37.0.0.1", "exa mple.com", "a!b.com", "1.2.3.4.5", "1.2.3.256",
      "foo.0x", "foo.09", "0x100000000", "[::1", "[]", "[1.2.3.4]", "[::g]", "[v1.abc]",
      "::1", "example.com:80",
  })
  void refusesMalformedHosts(String raw) {
    EgressException e = assertThrows(EgressException.class, () -> HostName.parse(raw));
    assertEquals(EgressFailure.INVALID_URL, e.failure(), raw);
  }

  @Test
  void refusesOverlongNamesAndLabels() {
    String label = "a".repeat(64);
    assertThrows(EgressException.class, () -> HostName.parse(label + ".com"));
    String name = ("a".repeat(60) + ".").repeat(5) + "com";
    assertThrows(EgressException.class, () -> HostName.parse(name));
    assertEquals("a".repeat(63) + ".com", HostName.parse("a".repeat(63) + ".com").name());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[fe80::1%eth0]", "[fe80::1%25eth0]", "[::1%1]"})
  void refusesZoneIdentifiers(String raw) {
    EgressException e = assertThrows(EgressException.class, () -> HostName.parse(raw));
    assertEquals(EgressFailure.ADDRESS_REFUSED, e.failure());
    assertEquals(EgressErrorCode.CS_CAPABILITY_DENIED, e.code());
  }

  @Test
  void equalSpellingsAreEqual() {
    assertEquals(HostName.parse("0x7f.1"), HostName.parse("127.0.0.1"));
    assertEquals(HostName.parse("Bücher.DE."), HostName.parse("xn--bcher-kva.de"));
  }
}
