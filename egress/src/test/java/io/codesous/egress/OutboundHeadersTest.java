package io.codesous.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundHeadersTest {

  private static final EgressOptions OPTIONS = new EgressOptions();

  @Test
  void lowerCasesTrimsAndKeepsOrderAndDuplicates() {
    List<Map.Entry<String, String>> clean = OutboundHeaders.sanitize(List.of(
        Map.entry("Accept", "  application/json "),
        Map.entry("X-Multi", "a"),
        Map.entry("x-multi", "b")), OPTIONS);
    assertEquals(List.of(Map.entry("accept", "application/json"), Map.entry("x-multi", "a"),
        Map.entry("x-multi", "b")), clean);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Host", "HOST", "Connection", "Keep-Alive", "Transfer-Encoding", "TE",
      "Trailer", "Upgrade", "Proxy-Authorization", "Proxy-Connection", "Content-Length",
      "Expect", "HTTP2-Settings"})
  void dropsConnectionLevelHeaders(String name) {
    assertEquals(List.of(Map.entry("x-kept", "1")), OutboundHeaders.sanitize(
        List.of(Map.entry(name, "whatever"), Map.entry("X-Kept", "1")), OPTIONS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Bad Name", "bad:name", "bad\nname", ":authority", "naïve", "a(b)"})
  void refusesInvalidNames(String name) {
    EgressException e = assertThrows(EgressException.class,
        () -> OutboundHeaders.sanitize(List.of(Map.entry(name, "v")), OPTIONS));
    assertEquals(EgressFailure.INVALID_HEADER, e.failure());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\r\nX-Injected: 1", "a\nb", "a\rb", "a\u0000b", "snow\u2603man"})
  void refusesInvalidValues(String value) {
    EgressException e = assertThrows(EgressException.class,
        () -> OutboundHeaders.sanitize(List.of(Map.entry("x-v", value)), OPTIONS));
    assertEquals(EgressFailure.INVALID_HEADER, e.failure());
  }

  @Test
  void capsCountAndSize() {
    List<Map.Entry<String, String>> many = new ArrayList<>();
    for (int i = 0; i <= OPTIONS.getMaxRequestHeaders(); i++) {
      many.add(Map.entry("x-h" + i, "v"));
    }
    assertEquals(EgressFailure.REQUEST_TOO_LARGE, assertThrows(EgressException.class,
        () -> OutboundHeaders.sanitize(many, OPTIONS)).failure());
    assertEquals(OPTIONS.getMaxRequestHeaders(),
        OutboundHeaders.sanitize(many.subList(1, many.size()), OPTIONS).size());
    String big = "v".repeat(OPTIONS.getMaxRequestHeaderBytes());
    assertEquals(EgressFailure.REQUEST_TOO_LARGE, assertThrows(EgressException.class,
        () -> OutboundHeaders.sanitize(List.of(Map.entry("x", big)), OPTIONS)).failure());
  }
}
