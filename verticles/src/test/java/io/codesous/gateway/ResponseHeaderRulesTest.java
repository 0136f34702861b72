package io.codesous.gateway;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResponseHeaderRulesTest {

  private final ResponseHeaderRules rules = ResponseHeaderRules.forFunction("acme", "default", "shop");

  @Test
  void theCookiePathIsTheFunctionsWebRoutePrefix() {
    assertEquals("/v1/web/acme/default/shop/", rules.cookiePath());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a=b                                                  | a=b; Path=/v1/web/acme/default/shop/
      a=b; Path=/                                          | a=b; Path=/v1/web/acme/default/shop/
      a=b; Path=/v1/web/acme/                              | a=b; Path=/v1/web/acme/default/shop/
      a=b; Path=/v1/web/acme/default/shopping/             | a=b; Path=/v1/web/acme/default/shop/
      a=b; Path=/v1/web/acme/default/shop/prod/cart        | a=b; Path=/v1/web/acme/default/shop/prod/cart
      a=b; Path=/v1/web/acme/default/shop/../../other/     | a=b; Path=/v1/web/acme/default/shop/
      a=b; Domain=evil.example; Secure; HttpOnly           | a=b; Secure; HttpOnly; Path=/v1/web/acme/default/shop/
      a=b; DOMAIN=.example; pAtH=/; Max-Age=5              | a=b; Max-Age=5; Path=/v1/web/acme/default/shop/
      a=b; Path=/v1/web/acme/default/shop/x; Path=/        | a=b; Path=/v1/web/acme/default/shop/
      a=b;;  SameSite=Strict ;                             | a=b; SameSite=Strict; Path=/v1/web/acme/default/shop/
      """)
  void everyCookieIsScopedToTheFunctionAndLosesItsDomain(String cookie, String scoped) {
    assertEquals(List.of(Map.entry("Set-Cookie", scoped)), rules.apply(new JsonObject().put("Set-Cookie", cookie)));
  }

  @Test
  void onTheFunctionsOwnOriginACookieOnlyLosesItsDomain() {
    ResponseHeaderRules ownOrigin = ResponseHeaderRules.forOwnOrigin();

    assertEquals(List.of(Map.entry("set-cookie", "a=b; Secure; Path=/")),
        ownOrigin.apply(new JsonObject().put("set-cookie", "a=b; Domain=fn.example.com; Secure; Path=/")));
    assertEquals(List.of(Map.entry("set-cookie", "a=b")), ownOrigin.apply(new JsonObject().put("set-cookie", "a=b")));
    assertEquals(List.of(), ownOrigin.apply(new JsonObject().put("x-cs-status", "success")));
  }

  @Test
  void thePlatformsHeadersAndHopByHopHeadersAreDropped() {
    JsonObject headers = new JsonObject()
        .put("x-cs-status", "success")
        .put("X-Cs-Activation-Id", "forged")
        .put("x-cs-", "empty suffix")
        .put("X-Request-Id", "forged")
        .put("Transfer-Encoding", "chunked")
        .put("content-length", "1")
        .put("connection", "close")
        .put("bad name", "v")
        .put("x-split", "a\r\nx-injected: 1")
        .put("x-csv", "kept: not the platform's prefix")
        .put("Content-Type", "text/plain");

    assertEquals(List.of(Map.entry("x-csv", "kept: not the platform's prefix"), Map.entry("Content-Type", "text/plain")),
        rules.apply(headers));
  }
}
