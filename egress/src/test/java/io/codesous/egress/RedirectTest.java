package io.codesous.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every hop is checked like the first; method, body and credentials follow the Fetch rules. */
class RedirectTest extends EgressTestSupport {

  private static final EgressPolicy POLICY = loopbackPolicy("ok.test", "other.test",
      "private.test", "169.254.169.254");

  private String redirectTo(String target, int status) {
    return url("ok.test", "/redirect?status=" + status + "&to="
        + URLEncoder.encode(target, StandardCharsets.UTF_8));
  }

  @Test
  void followsARedirectToAnAllowedHost() throws Exception {
    FetchResponse response = fetchOk(FetchRequest.get(redirectTo(url("other.test", "/echo"), 302)),
        POLICY);
    assertEquals(200, response.status());
    assertEquals(1, response.redirectCount());
    assertTrue(response.redirected());
    assertEquals(url("other.test", "/echo"), response.url());
    assertEquals("other.test:" + server.port(),
        new JsonObject(response.bodyAsString()).getString("host"));
    assertEquals(List.of("ok.test", "other.test"), resolver.lookups());
  }

  @Test
  void refusesARedirectToAHostOffTheAllowList() throws Exception {
    EgressException e = fetchFails(redirectTo(url("evil.test", "/echo"), 302), POLICY);
    assertEquals(EgressFailure.HOST_NOT_ALLOWED, e.failure());
    assertEquals(EgressErrorCode.CS_CAPABILITY_DENIED, e.code());
    assertEquals(1, server.requests().size());
    assertFalse(resolver.lookups().contains("evil.test"));
    assertEquals(1, dials.dials().size());
  }

  @ParameterizedTest(name = "redirect to {0} is refused")
  @ValueSource(strings = {"http://169.254.169.254/", "http://169.254.169.254/latest/meta-data/",
      "http://0xa9fea9fe/", "http://2852039166/", "http://[::ffff:169.254.169.254]/",
      "http://private.test/", "http://10.0.0.1/"})
  void refusesARedirectToAnInternalAddress(String target) throws Exception {
    EgressException e = fetchFails(redirectTo(target, 302), POLICY);
    assertEquals(EgressFailure.ADDRESS_REFUSED, e.failure(), e.getMessage());
    assertEquals(1, server.requests().size());
    assertEquals(1, dials.dials().size(), "only the first, loopback hop was dialed");
    assertDialedOnlyLoopback();
  }

  @Test
  void resolvesEveryHopAgain() throws Exception {
    fetchFails(redirectTo("http://private.test/", 307), POLICY);
    assertEquals(List.of("ok.test", "private.test"), resolver.lookups());
  }

  @Test
  void aRedirectToALiteralIsNormalizedAndCheckedAgainstTheAllowList() throws Exception {
    // 127.1 is 127.0.0.1: allowed when that address is listed, refused when it is not
    FetchResponse allowed = fetchOk(FetchRequest.get(redirectTo(url("127.1", "/echo"), 302)),
        loopbackPolicy("ok.test", "127.0.0.1"));
    assertEquals(url("127.0.0.1", "/echo"), allowed.url());
    EgressException e = fetchFails(redirectTo(url("127.1", "/echo"), 302),
        loopbackPolicy("ok.test"));
    assertEquals(EgressFailure.HOST_NOT_ALLOWED, e.failure());
  }

  @ParameterizedTest(name = "redirect to {0} is refused")
  @ValueSource(strings = {"file:///etc/passwd", "gopher://ok.test/", "ftp://ok.test/"})
  void refusesARedirectToAnotherScheme(String target) throws Exception {
    EgressException e = fetchFails(redirectTo(target, 301), POLICY);
    assertEquals(EgressFailure.SCHEME_REFUSED, e.failure());
  }

  @Test
  void refusesARedirectWithCredentialsInTheUrl() throws Exception {
    EgressException e = fetchFails(redirectTo("http://u:p@other.test:" + server.port() + "/",
        302), POLICY);
    assertEquals(EgressFailure.USERINFO_REFUSED, e.failure());
    assertEquals(1, server.requests().size());
  }

  @Test
  void followsRelativeLocationsUpToTheLimit() throws Exception {
    useOptions(new EgressOptions().setMaxRedirects(3));
    FetchResponse response = fetchOk(FetchRequest.get(url("ok.test", "/chain/0?end=3")),
        POLICY);
    assertEquals("end of chain at 3", response.bodyAsString());
    assertEquals(3, response.redirectCount());
    assertEquals(url("ok.test", "/chain/3?end=3"), response.url());
  }

  @Test
  void failsAChainLongerThanTheLimit() throws Exception {
    useOptions(new EgressOptions().setMaxRedirects(3));
    EgressException e = fetchFails(url("ok.test", "/chain/0"), POLICY);
    assertEquals(EgressFailure.TOO_MANY_REDIRECTS, e.failure());
    assertEquals(EgressErrorCode.CS_UNAVAILABLE, e.code());
    // the first request plus three followed redirects; the fourth redirect is not followed
    assertEquals(List.of("GET /chain/0", "GET /chain/1?end=1000000", "GET /chain/2?end=1000000",
        "GET /chain/3?end=1000000"), server.requests());
  }

  @Test
  void zeroRedirectsMeansNone() throws Exception {
    useOptions(new EgressOptions().setMaxRedirects(0));
    assertEquals(EgressFailure.TOO_MANY_REDIRECTS,
        fetchFails(url("ok.test", "/chain/0"), POLICY).failure());
    assertEquals(1, server.requests().size());
  }

  @Test
  void seeOtherTurnsPostIntoGet() throws Exception {
    FetchResponse response = fetchOk(FetchRequest.builder(redirectTo("/echo", 303))
        .method("POST").header("Content-Type", "text/plain").header("X-Keep", "1")
        .body("payload".getBytes(StandardCharsets.UTF_8)).build(), POLICY);
    JsonObject echo = new JsonObject(response.bodyAsString());
    assertEquals("GET", echo.getString("method"));
    assertEquals("", echo.getString("body"));
    assertNull(echo.getJsonObject("headers").getString("content-type"));
    assertEquals("1", echo.getJsonObject("headers").getString("x-keep"));
    assertTrue(server.requests().get(0).startsWith("POST /redirect"));
    assertEquals("GET /echo", server.requests().get(1));
  }

  @Test
  void foundTurnsPostIntoGetButTemporaryRedirectKeepsIt() throws Exception {
    JsonObject found = new JsonObject(fetchOk(FetchRequest.builder(redirectTo("/echo", 302))
        .method("POST").body(new byte[] {'b'}).build(), POLICY).bodyAsString());
    assertEquals("GET", found.getString("method"));
    JsonObject temporary = new JsonObject(fetchOk(FetchRequest.builder(redirectTo("/echo", 307))
        .method("POST").body(new byte[] {'b'}).build(), POLICY).bodyAsString());
    assertEquals("POST", temporary.getString("method"));
    assertEquals("b", temporary.getString("body"));
  }

  @Test
  void credentialsStayBehindWhenTheHostChanges() throws Exception {
    FetchRequest request = FetchRequest.builder(redirectTo(url("other.test", "/echo"), 302))
        .header("Authorization", "Bearer secret").header("Cookie", "session=1")
        .header("X-Keep", "1").build();
    JsonObject headers = new JsonObject(fetchOk(request, POLICY).bodyAsString())
        .getJsonObject("headers");
    assertNull(headers.getString("authorization"));
    assertNull(headers.getString("cookie"));
    assertEquals("1", headers.getString("x-keep"));
  }

  @Test
  void credentialsFollowWithinTheOrigin() throws Exception {
    FetchRequest request = FetchRequest.builder(redirectTo("/echo", 302))
        .header("Authorization", "Bearer secret").header("Cookie", "session=1").build();
    JsonObject headers = new JsonObject(fetchOk(request, POLICY).bodyAsString())
        .getJsonObject("headers");
    assertEquals("Bearer secret", headers.getString("authorization"));
    assertEquals("session=1", headers.getString("cookie"));
  }

  @Test
  void manualModeReturnsTheRedirect() throws Exception {
    FetchResponse response = fetchOk(FetchRequest.builder(redirectTo("http://169.254.169.254/",
        302)).redirect(RedirectMode.MANUAL).build(), POLICY);
    assertEquals(302, response.status());
    assertEquals("http://169.254.169.254/", response.header("location"));
    assertEquals("moved", response.bodyAsString());
    assertEquals(0, response.redirectCount());
    assertEquals(1, dials.dials().size());
  }

  @Test
  void errorModeFailsOnAnyRedirect() throws Exception {
    EgressException e = fetchFails(FetchRequest.builder(redirectTo("/echo", 302))
        .redirect(RedirectMode.ERROR).build(), POLICY);
    assertEquals(EgressFailure.REDIRECT_REFUSED, e.failure());
    assertEquals(1, server.requests().size());
  }

  @Test
  void aRedirectWithoutLocationIsTheResponse() throws Exception {
    FetchResponse response = fetchOk(FetchRequest.get(url("ok.test", "/redirect?status=301")),
        POLICY);
    assertEquals(301, response.status());
    assertEquals(0, response.redirectCount());
  }
}
