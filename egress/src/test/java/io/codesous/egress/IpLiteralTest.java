package io.codesous.egress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "127.0.0.1, 127.0.0.1",
      "2130706433, 127.0.0.1",
      "0177.0.0.1, 127.0.0.1",
      "0x7f.0.0.1, 127.0.0.1",
      "0X7F.0.0.1, 127.0.0.1",
      "0x7f000001, 127.0.0.1",
      "017700000001, 127.0.0.1",
      "127.1, 127.0.0.1",
      "127.0.1, 127.0.0.1",
      "0x7f.1, 127.0.0.1",
      "0x7f.0x0.0x0.0x1, 127.0.0.1",
      "0177.1, 127.0.0.1",
      "127.000.000.001, 127.0.0.1",
      "127.0x0.01, 127.0.0.1",
      "0x7f.0.01, 127.0.0.1",
      "127.0.0.1., 127.0.0.1",
      "0x, 0.0.0.0",
      "0, 0.0.0.0",
      "00, 0.0.0.0",
      "169.254.169.254, 169.254.169.254",
      "2852039166, 169.254.169.254",
      "0xa9fea9fe, 169.254.169.254",
      "0xa9.0xfe.0xa9.0xfe, 169.254.169.254",
      "0251.0376.0251.0376, 169.254.169.254",
      "169.254.43518, 169.254.169.254",
      "169.16689662, 169.254.169.254",
      "10.1, 10.0.0.1",
      "4294967295, 255.255.255.255",
      "0xffffffff, 255.255.255.255",
      "1.2.3.4, 1.2.3.4",
      "192.168.0x1.1, 192.168.1.1",
  })
  void parsesEveryWhatwgIpv4Spelling(String text, String canonical) {
    IpLiteral address = IpLiteral.parseIpv4(text).orElseThrow();
    assertTrue(address.isIpv4());
    assertEquals(canonical, address.canonical());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "4294967296", // 2^32
      "0x100000000",
      "256.0.0.1",
      "1.256.0.1",
      "1.2.65536",
      "1.16777216",
      "1.2.3.256",
      "1.2.3.4.5",
      "08.0.0.1", // 8 is not an octal digit
      "0x7g.0.0.1",
      "1..2.3",
      "",
      ".",
      "1.2.3.4..",
      "99999999999999999999999999999",
      "abc",
      "1.2.3.a",
  })
  void refusesWhatIsNotIpv4(String text) {
    assertTrue(IpLiteral.parseIpv4(text).isEmpty(), text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3.4", "example.0x1", "foo.0x", "foo.09", "a.b.123", "123", "1.2.3.",
      "99999999999999999999"})
  void hostsEndingInANumberMustBeAddresses(String host) {
    assertTrue(IpLiteral.endsInNumber(host), host);
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "123.example", "0x7f.example", "1.2.3.4a", "foo.0xg",
      "a1", "."})
  void namesDoNotEndInANumber(String host) {
    assertFalse(IpLiteral.endsInNumber(host), host);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "::1, ::1",
      "0:0:0:0:0:0:0:1, ::1",
      "0000:0000:0000:0000:0000:0000:0000:0001, ::1",
      "::, ::",
      "0:0:0:0:0:0:0:0, ::",
      "::ffff:127.0.0.1, ::ffff:7f00:1",
      "::ffff:7f00:1, ::ffff:7f00:1",
      "::FFFF:7F00:0001, ::ffff:7f00:1",
      "0:0:0:0:0:ffff:127.0.0.1, ::ffff:7f00:1",
      "::127.0.0.1, ::7f00:1",
      "64:ff9b::7f00:1, 64:ff9b::7f00:1",
      "64:ff9b::127.0.0.1, 64:ff9b::7f00:1",
      "2001:db8::1, 2001:db8::1",
      "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
      "2001:0db8:0000:0000:0000:0000:0002:0001, 2001:db8::2:1",
      "fe80::1, fe80::1",
      "1::, 1::",
      "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
      "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
      "1:0:0:2:0:0:0:3, 1:0:0:2::3",
      "fd00:ec2::254, fd00:ec2::254",
  })
  void parsesIpv6TextForms(String text, String canonical) {
    IpLiteral address = IpLiteral.parseIpv6(text).orElseThrow();
    assertTrue(address.isIpv6());
    assertEquals(canonical, address.canonical());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", ":", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", "12345::", "::g",
      ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "::1.2.3", "::1.2.3.256", "::01.2.3.4",
      "1:2:3:4:5:6:7:1.2.3.4", "1.2.3.4", "::ffff:0x7f.0.0.1", "fe80::1%eth0",
      "1:2:3:4:5:6:7:8::", "::１",
  })
  void refusesWhatIsNotIpv6(String text) {
    assertTrue(IpLiteral.parseIpv6(text).isEmpty(), text);
  }

  @Test
  void keepsTheMappedFormThatInetAddressWouldFold() {
    IpLiteral mapped = IpLiteral.parseIpv6("::ffff:10.0.0.1").orElseThrow();
    assertEquals(16, mapped.bytes().length);
    // connecting uses the folded IPv4 address, which is where the kernel would send it anyway
    assertTrue(mapped.toInetAddress() instanceof Inet4Address);
    assertEquals("10.0.0.1", mapped.toInetAddress().getHostAddress());
  }

  @Test
  void ofRejectsOddLengths() {
    assertThrows(IllegalArgumentException.class, () -> IpLiteral.of(new byte[5]));
    assertArrayEquals(new byte[] {1, 2, 3, 4}, IpLiteral.of(new byte[] {1, 2, 3, 4}).bytes());
  }

  @Test
  void equalityIsByBytes() {
    assertEquals(IpLiteral.parseIpv4("0x7f.1").orElseThrow(),
        IpLiteral.parseIpv4("127.0.0.1").orElseThrow());
    assertFalse(IpLiteral.parseIpv4("127.0.0.1").orElseThrow()
        .equals(IpLiteral.parseIpv6("::ffff:127.0.0.1").orElseThrow()));
  }
}
