package io.codesous.egress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectFollowerTest {

  private static final byte[] BODY = {1, 2, 3};

  private static Hop hop(String method, byte[] body) {
    return new Hop(EgressUrl.parse("http://a.test/x/y"), method, List.of(
        Map.entry("content-type", "application/json"),
        Map.entry("authorization", "Bearer secret"),
        Map.entry("cookie", "session=1"),
        Map.entry("x-trace", "t1")), body);
  }

  private static List<String> names(Hop hop) {
    return hop.headers().stream().map(Map.Entry::getKey).collect(Collectors.toList());
  }

  @ParameterizedTest(name = "{1} {0} -> {2}")
  @CsvSource({
      "303, POST, GET",
      "303, PUT, GET",
      "303, DELETE, GET",
      "303, PATCH, GET",
      "301, POST, GET",
      "302, POST, GET",
  })
  void switchesToGetWithoutBody(int status, String method, String expected) {
    Hop next = RedirectFollower.next(hop(method, BODY), status, "/landing");
    assertEquals(expected, next.method());
    assertNull(next.body());
    assertFalse(names(next).contains("content-type"));
    // same origin: credentials stay
    assertTrue(names(next).contains("authorization"));
    assertEquals("http://a.test/landing", next.url().toString());
  }

  @ParameterizedTest(name = "{1} {0} keeps method and body")
  @CsvSource({"307, POST", "308, POST", "307, PUT", "301, PUT", "302, PATCH", "308, DELETE"})
  void keepsMethodAndBody(int status, String method) {
    Hop next = RedirectFollower.next(hop(method, BODY), status, "next");
    assertEquals(method, next.method());
    assertArrayEquals(BODY, next.body());
    assertTrue(names(next).contains("content-type"));
    assertEquals("http://a.test/x/next", next.url().toString());
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void getAndHeadStayAsTheyAre(int status) {
    assertEquals("GET", RedirectFollower.next(hop("GET", null), status, "/").method());
    assertEquals("HEAD", RedirectFollower.next(hop("HEAD", null), status, "/").method());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://b.test/", "https://a.test/", "http://a.test:8080/",
      "//b.test/z"})
  void dropsCredentialsWhenTheOriginChanges(String location) {
    Hop next = RedirectFollower.next(hop("GET", null), 302, location);
    assertEquals(List.of("content-type", "x-trace"), names(next));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/elsewhere", "http://A.TEST/x", "http://a.test:80/", "?page=2"})
  void keepsCredentialsWithinTheOrigin(String location) {
    Hop next = RedirectFollower.next(hop("GET", null), 302, location);
    assertTrue(names(next).containsAll(List.of("authorization", "cookie")));
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void recognizesRedirectStatuses(int status) {
    assertTrue(RedirectFollower.isRedirect(status));
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 300, 304, 305, 306, 309, 400})
  void otherStatusesAreNotFollowed(int status) {
    assertFalse(RedirectFollower.isRedirect(status));
  }
}
