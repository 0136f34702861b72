package io.codesous.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EgressUrlTest {

  private static EgressFailure failureOf(String url) {
    return assertThrows(EgressException.class, () -> EgressUrl.parse(url)).failure();
  }

  @Test
  void parsesTheParts() {
    EgressUrl url = EgressUrl.parse("HTTPS://Api.Example.COM.:8443/v1/items?q=a%20b#frag");
    assertEquals("https", url.scheme());
    assertTrue(url.isHttps());
    assertEquals("api.example.com", url.host().name());
    assertEquals(8443, url.port());
    assertEquals("/v1/items?q=a%20b", url.requestTarget());
    assertEquals("https://api.example.com:8443", url.origin());
    assertEquals("https://api.example.com:8443/v1/items?q=a%20b", url.toString());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "http://example.com, http://example.com/",
      "http://example.com:80/, http://example.com/",
      "https://example.com:443/x, https://example.com/x",
      "http://example.com:/x, http://example.com/x",
      "http://example.com?q, http://example.com/?q",
      "http://2130706433:8080/, http://127.0.0.1:8080/",
      "http://[0:0:0:0:0:0:0:1]:8080/a, http://[::1]:8080/a",
      "http://bücher.de/, http://xn--bcher-kva.de/",
      "http://example.com/ü?q=é, http://example.com/%C3%BC?q=%C3%A9",
  })
  void normalizes(String raw, String normalized) {
    assertEquals(normalized, EgressUrl.parse(raw).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "ftp://example.com/", "file:///etc/passwd", "file://localhost/etc/passwd",
      "gopher://example.com:70/_GET", "data:text/plain,hello", "javascript:alert(1)",
      "ws://example.com/", "jar:http://example.com/a.jar!/", "dict://example.com:11211/",
      "ldap://example.com/", "netdoc:///etc/passwd",
  })
  void refusesOtherSchemes(String url) {
    assertEquals(EgressFailure.SCHEME_REFUSED, failureOf(url));
    assertEquals(EgressErrorCode.CS_CAPABILITY_DENIED, EgressFailure.SCHEME_REFUSED.code());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://user@example.com/", "http://user:pass@example.com/", "http://@example.com/",
      "http://example.com@127.0.0.1/", "http://allowed.test:80@evil.test/",
      "https://a:b@[::1]/",
  })
  void refusesUserinfo(String url) {
    assertEquals(EgressFailure.USERINFO_REFUSED, failureOf(url));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http:///path", "http:example.com", "http://", "//example.com/", "example.com",
      "http://:80/", "http://example.com:0/", "http://example.com:65536/",
      "http://example.com:-1/", "http://example.com:8x/", "http://exa mple.com/",
      "http://example.com\\@evil.test/", "http://[::1/", "http://[::1]x/", "",
  })
  void refusesMalformedUrls(String url) {
    assertEquals(EgressFailure.INVALID_URL, failureOf(url));
  }

  @Test
  void refusesOverlongUrls() {
    assertEquals(EgressFailure.INVALID_URL,
        failureOf("http://example.com/" + "a".repeat(EgressUrl.MAX_LENGTH)));
  }

  @ParameterizedTest(name = "{0} from http://a.test/x/y?q -> {1}")
  @CsvSource({
      "/z, http://a.test/z",
      "z, http://a.test/x/z",
      "../z?w, http://a.test/z?w",
      "//b.test/k, http://b.test/k",
      "https://c.test:8443/, https://c.test:8443/",
      "HTTP://0x7f.1:81/, http://127.0.0.1:81/",
  })
  void resolvesLocations(String location, String expected) {
    assertEquals(expected, EgressUrl.parse("http://a.test/x/y?q").resolve(location).toString());
  }

  @Test
  void redirectLocationsFollowTheSameRules() {
    EgressUrl base = EgressUrl.parse("http://a.test/");
    assertEquals(EgressFailure.REDIRECT_REFUSED,
        assertThrows(EgressException.class, () -> base.resolve("http://a b/")).failure());
    assertEquals(EgressFailure.SCHEME_REFUSED,
        assertThrows(EgressException.class, () -> base.resolve("file:///etc/passwd")).failure());
    assertEquals(EgressFailure.USERINFO_REFUSED,
        assertThrows(EgressException.class, () -> base.resolve("http://u@b.test/")).failure());
  }

  @Test
  void originIgnoresPathButNotPortOrScheme() {
    EgressUrl a = EgressUrl.parse("http://a.test/x");
    assertEquals(a.origin(), EgressUrl.parse("http://A.test:80/y").origin());
    assertFalse(a.origin().equals(EgressUrl.parse("http://a.test:81/x").origin()));
    assertFalse(a.origin().equals(EgressUrl.parse("https://a.test/x").origin()));
  }

  @Test
  void arbitraryInputEitherParsesOrFailsWithAnEgressException() {
    // a fixed seed keeps failures reproducible; the alphabet is what URL confusion is made of
    String alphabet = "htps:/[]@%.:0123456789xXabcdefABCDEF-_~?#\\ \t\n\u3002\uff0e\uff11ü";
    java.util.Random random = new java.util.Random(20240601L);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder url = new StringBuilder(random.nextBoolean() ? "http://" : "https://");
      int length = random.nextInt(24);
      for (int j = 0; j < length; j++) {
        url.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      try {
        EgressUrl parsed = EgressUrl.parse(url.toString());
        // whatever parses has a normalized host that parses again to itself
        assertEquals(parsed.host(), HostName.parse(parsed.host().uriForm()), url.toString());
        assertTrue(parsed.requestTarget().chars().allMatch(c -> c > 0x20 && c < 0x7f),
            url.toString());
      } catch (EgressException expected) {
        // refusals are fine; any other exception type fails the test
      }
    }
  }
}
