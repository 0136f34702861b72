package io.codesous.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebPathTest {

  @Test
  void aFunctionsPathGivesItsFourPartsAndWhatFollowsTheRefAsTheProxyPath() {
    WebPath path = WebPath.parse("/v1/web/acme/default/hello/prod/users/7");
    assertEquals(new WebPath("acme", "default", "hello", "prod"), path);
    assertEquals("/users/7", path.proxyPath("/v1/web/acme/default/hello/prod/users/7"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/web/acme/default/hello/prod", "/v1/web/acme/default/hello/prod/"})
  void withNothingAfterTheRefTheProxyPathIsTheRoot(String raw) {
    WebPath path = WebPath.parse(raw);
    assertEquals(new WebPath("acme", "default", "hello", "prod"), path);
    assertEquals("/", path.proxyPath(raw));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/web/acme/default/hello", "/v1/web/acme/default/hello/", "/v1/web/", "/v1/web/acme",
      "/v1/tenants/acme/namespaces/default", "/v1/web/acme/default/hello/%zz"})
  void aPathWithoutAFunctionAndARefIsNotAWebPath(String raw) {
    assertNull(WebPath.parse(raw));
  }

  @Test
  void segmentsArePercentDecodedAsPathParametersAreAndAPlusStaysAPlus() {
    assertEquals(new WebPath("acme", "default", "hello", "v+1"), WebPath.parse("/v1/web/%61cme/default/hello/v+1"));
  }
}
