package io.codesous.egress;

import static io.codesous.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The happy path and the validation of what a function may send. */
class EgressClientTest extends EgressTestSupport {

  @Test
  void fetchesAnAllowedHost() throws Exception {
    FetchResponse response = fetchOk(FetchRequest.builder(url("ok.test", "/echo?a=1"))
        .header("Accept", "application/json").build(), loopbackPolicy("ok.test"));

    assertEquals(200, response.status());
    JsonObject echo = new JsonObject(response.bodyAsString());
    assertEquals("GET", echo.getString("method"));
    assertEquals("/echo?a=1", echo.getString("uri"));
    // the Host header carries the name while the connection went to the checked address
    assertEquals("ok.test:" + server.port(), echo.getString("host"));
    assertEquals("application/json", echo.getJsonObject("headers").getString("accept"));
    assertEquals(url("ok.test", "/echo?a=1"), response.url());
    assertEquals(0, response.redirectCount());
    assertFalse(response.redirected());
    assertEquals(List.of(new InetSocketAddress("127.0.0.1", server.port())), dials.dials());
    assertEquals(List.of("ok.test"), resolver.lookups());
  }

  @Test
  void postsABody() throws Exception {
    FetchResponse response = fetchOk(FetchRequest.builder(url("ok.test", "/echo"))
        .method("post").header("Content-Type", "text/plain")
        .body("payload".getBytes(StandardCharsets.UTF_8)).build(), loopbackPolicy("ok.test"));
    JsonObject echo = new JsonObject(response.bodyAsString());
    assertEquals("POST", echo.getString("method"));
    assertEquals("payload", echo.getString("body"));
    assertEquals("7", echo.getJsonObject("headers").getString("content-length"));
  }

  @Test
  void reportsHeadersLowerCasedWithAllValues() throws Exception {
    FetchResponse response = fetchOk(FetchRequest.get(url("ok.test", "/headers")),
        loopbackPolicy("ok.test"));
    assertEquals(List.of("a", "b"), response.headers().get("x-multi"));
    assertEquals("a, b", response.header("X-Multi"));
    assertEquals("text/plain", response.header("content-type"));
    assertTrue(response.headers().keySet().stream().allMatch(n -> n.equals(n.toLowerCase())));
    assertEquals("Fine", response.statusText());
    assertEquals("hello", response.bodyAsString());
  }

  @Test
  void headHasNoBody() throws Exception {
    FetchResponse response = fetchOk(FetchRequest.builder(url("ok.test", "/headers"))
        .method("HEAD").build(), loopbackPolicy("ok.test"));
    assertEquals(200, response.status());
    assertArrayEquals(new byte[0], response.body());
    assertEquals(List.of("HEAD /headers"), server.requests());
  }

  @Test
  void theFunctionCannotChooseHostOrFraming() throws Exception {
    FetchResponse response = fetchOk(FetchRequest.builder(url("ok.test", "/echo"))
        .method("POST")
        .header("Host", "internal.corp")
        .header("Transfer-Encoding", "chunked")
        .header("Content-Length", "999")
        .header("Connection", "keep-alive, x-secret")
        .body(new byte[] {'x'}).build(), loopbackPolicy("ok.test"));
    JsonObject echo = new JsonObject(response.bodyAsString());
    assertEquals("ok.test:" + server.port(), echo.getString("host"));
    assertEquals(1, echo.getInteger("hostHeaders"));
    assertEquals("1", echo.getJsonObject("headers").getString("content-length"));
    assertNull(echo.getJsonObject("headers").getString("transfer-encoding"));
    assertEquals("x", echo.getString("body"));
  }

  @Test
  void refusesHostsMissingFromTheAllowListWithoutLookingThemUp() throws Exception {
    EgressException e = fetchFails(url("evil.test", "/echo"), loopbackPolicy("ok.test"));
    assertEquals(EgressFailure.HOST_NOT_ALLOWED, e.failure());
    assertEquals(EgressErrorCode.CS_CAPABILITY_DENIED, e.code());
    assertTrue(e.getMessage().contains("evil.test"), e.getMessage());
    assertEquals(List.of(), resolver.lookups());
    assertNothingSent();
  }

  @Test
  void anEmptyAllowListDeniesEverything() throws Exception {
    EgressException e = fetchFails(url("ok.test", "/echo"), EgressPolicy.denyAll());
    assertEquals(EgressFailure.HOST_NOT_ALLOWED, e.failure());
    EgressException literal = fetchFails(url("127.0.0.1", "/echo"),
        EgressPolicy.allowing(List.of()).withLoopbackAllowed());
    assertEquals(EgressFailure.HOST_NOT_ALLOWED, literal.failure());
    assertNothingSent();
  }

  @Test
  void allowListMatchesTheNormalizedName() throws Exception {
    FetchResponse response = fetchOk(FetchRequest.get(url("OK.Test.", "/echo")),
        loopbackPolicy("ok.test"));
    assertEquals(200, response.status());
    assertEquals(url("ok.test", "/echo"), response.url());
    assertEquals(List.of("ok.test"), resolver.lookups());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://ok.test/", "file:///etc/passwd", "gopher://ok.test:70/_x",
      "data:text/plain;base64,aGk=", "javascript:1", "ws://ok.test/"})
  void refusesOtherSchemes(String url) throws Exception {
    EgressException e = fetchFails(url, loopbackPolicy("ok.test"));
    assertEquals(EgressFailure.SCHEME_REFUSED, e.failure());
    assertEquals(EgressErrorCode.CS_CAPABILITY_DENIED, e.code());
    assertNothingSent();
  }

  @Test
  void acceptsHttpsAndReportsAClosedPortAsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    EgressException e = fetchFails("https://ok.test:" + closedPort + "/",
        loopbackPolicy("ok.test"));
    assertEquals(EgressFailure.CONNECTION_FAILED, e.failure());
    assertEquals(EgressErrorCode.CS_UNAVAILABLE, e.code());
    // the function asked for ok.test; the address the platform resolved stays private
    assertTrue(e.getMessage().contains("ok.test:" + closedPort), e.getMessage());
    assertFalse(e.getMessage().contains("127.0.0.1"), e.getMessage());
    assertEquals(List.of(new InetSocketAddress("127.0.0.1", closedPort)), dials.dials());
  }

  @Test
  void httpsToAPlainServerFailsTheHandshake() throws Exception {
    EgressException e = fetchFails("https://ok.test:" + server.port() + "/echo",
        loopbackPolicy("ok.test"));
    assertEquals(EgressFailure.TLS_FAILURE, e.failure());
    assertEquals(EgressErrorCode.CS_UNAVAILABLE, e.code());
    assertEquals(List.of(), server.requests());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://user@ok.test:%d/echo", "http://user:pw@ok.test:%d/echo",
      "http://ok.test:%d@evil.test/echo", "http://@127.0.0.1:%d/echo"})
  void refusesUserinfo(String template) throws Exception {
    EgressException e = fetchFails(String.format(template, server.port()),
        loopbackPolicy("ok.test", "evil.test", "127.0.0.1"));
    assertEquals(EgressFailure.USERINFO_REFUSED, e.failure());
    assertEquals(EgressErrorCode.CS_CAPABILITY_DENIED, e.code());
    assertNothingSent();
  }

  @Test
  void failsOnNamesThatDoNotResolve() throws Exception {
    EgressException e = fetchFails(url("nowhere.test", "/"), loopbackPolicy("nowhere.test"));
    assertEquals(EgressFailure.DNS_FAILURE, e.failure());
    assertEquals(EgressErrorCode.CS_UNAVAILABLE, e.code());
    assertNothingSent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TRACE", "CONNECT", "FOO", "GET /x HTTP/1.1\r\n"})
  void refusesOtherMethods(String method) throws Exception {
    EgressException e = fetchFails(FetchRequest.builder(url("ok.test", "/echo")).method(method)
        .build(), loopbackPolicy("ok.test"));
    assertEquals(EgressFailure.INVALID_METHOD, e.failure());
    assertEquals(EgressErrorCode.CS_VALIDATION_FAILED, e.code());
    assertNothingSent();
  }

  @Test
  void refusesBodiesOnGetAndHead() throws Exception {
    for (String method : List.of("GET", "HEAD")) {
      EgressException e = fetchFails(FetchRequest.builder(url("ok.test", "/echo"))
          .method(method).body(new byte[1]).build(), loopbackPolicy("ok.test"));
      assertEquals(EgressFailure.BODY_NOT_ALLOWED, e.failure());
    }
    assertNothingSent();
  }

  @Test
  void capsTheRequestBody() throws Exception {
    useOptions(new EgressOptions().setMaxRequestBodyBytes(10));
    EgressException e = fetchFails(FetchRequest.builder(url("ok.test", "/echo")).method("PUT")
        .body(new byte[11]).build(), loopbackPolicy("ok.test"));
    assertEquals(EgressFailure.REQUEST_TOO_LARGE, e.failure());
    assertEquals(EgressErrorCode.CS_PAYLOAD_TOO_LARGE, e.code());
    assertNothingSent();
    FetchResponse atCap = fetchOk(FetchRequest.builder(url("ok.test", "/echo")).method("PUT")
        .body(new byte[10]).build(), loopbackPolicy("ok.test"));
    assertEquals(200, atCap.status());
  }

  @Test
  void refusesHeaderInjection() throws Exception {
    EgressException e = fetchFails(FetchRequest.builder(url("ok.test", "/echo"))
        .header("X-A", "1\r\nHost: internal.corp").build(), loopbackPolicy("ok.test"));
    assertEquals(EgressFailure.INVALID_HEADER, e.failure());
    assertNothingSent();
  }

  @Test
  void operatorsMayRestrictPorts() throws Exception {
    useOptions(new EgressOptions().setAllowedPorts(Set.of(80, 443)));
    EgressException e = fetchFails(url("ok.test", "/echo"), loopbackPolicy("ok.test"));
    assertEquals(EgressFailure.PORT_REFUSED, e.failure());
    assertEquals(EgressErrorCode.CS_CAPABILITY_DENIED, e.code());
    assertNothingSent();
  }

  @Test
  void aClosedClientRefusesNewFetches() throws Exception {
    await(client.close());
    EgressException e = fetchFails(url("ok.test", "/echo"), loopbackPolicy("ok.test"));
    assertEquals(EgressFailure.CLIENT_CLOSED, e.failure());
    assertNothingSent();
  }

  @Test
  void aCallerBlockingOnAWorkerThreadDoesNotStallTheFetch() throws Exception {
    // the worker context runs one task at a time; callbacks queued there would never run
    String body = await(vertx.executeBlocking(() -> client.fetch(
            FetchRequest.get(url("ok.test", "/headers")), loopbackPolicy("ok.test"))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).bodyAsString()));
    assertEquals("hello", body);
  }

  @Test
  void theJdkResolverFeedsTheSameChecks() throws Exception {
    EgressClient jdk = new EgressClient(vertx, new EgressOptions(), new JdkHostResolver(vertx),
        dials);
    try {
      EgressException e = failureOf(jdk.fetch(FetchRequest.get(url("localhost", "/echo")),
          EgressPolicy.allowing("localhost")));
      assertEquals(EgressFailure.ADDRESS_REFUSED, e.failure());
      assertNothingSent();
      FetchResponse allowed = await(jdk.fetch(FetchRequest.get(url("localhost", "/headers")),
          loopbackPolicy("localhost")));
      assertEquals("hello", allowed.bodyAsString());
    } finally {
      await(jdk.close());
    }
  }

  @Test
  void theJdkResolverNeverParsesNumericNames() throws Exception {
    JdkHostResolver jdk = new JdkHostResolver(vertx);
    for (String numeric : List.of("2130706433", "127.1", "0x7f.1", "::1")) {
      assertTrue(jdk.resolve(numeric).toCompletionStage().toCompletableFuture()
          .handle((ok, error) -> error != null).get(10, TimeUnit.SECONDS), numeric);
    }
  }

  @Test
  void dialsTheCheckedAddressNeverTheName() throws Exception {
    // resolvers hand back addresses that still carry the name; the dial must not
    InetAddress carryingTheName = InetAddress.getByAddress("ok.test", new byte[] {127, 0, 0, 1});
    HostResolver named = host -> Future.succeededFuture(List.of(carryingTheName));
    EgressClient namedClient = new EgressClient(vertx, new EgressOptions(), named, dials);
    try {
      await(namedClient.fetch(FetchRequest.get(url("ok.test", "/echo")),
          loopbackPolicy("ok.test")));
      assertEquals(1, dials.dials().size());
      assertEquals("127.0.0.1", dials.dials().get(0).getHostString());
      assertFalse(dials.dials().get(0).isUnresolved());
    } finally {
      await(namedClient.close());
    }
  }

  @Test
  void aResolverMayAnswerFromAnyThread() throws Exception {
    HostResolver offThread = host -> {
      Promise<List<InetAddress>> answer = Promise.promise();
      new Thread(() -> answer.complete(List.of(InetAddress.getLoopbackAddress()))).start();
      return answer.future();
    };
    EgressClient threaded = new EgressClient(vertx, new EgressOptions(), offThread, dials);
    try {
      FetchResponse response = await(threaded.fetch(FetchRequest.get(url("ok.test", "/headers")),
          loopbackPolicy("ok.test")));
      assertEquals("hello", response.bodyAsString());
    } finally {
      await(threaded.close());
    }
  }

  @Test
  void certificatesAreVerified() throws Exception {
    // a loopback TLS server with a self-signed certificate for ok.test: TLS works, trust does not
    SelfSignedCertificate certificate = SelfSignedCertificate.create("ok.test");
    HttpServer tls = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")
        .setSsl(true).setKeyCertOptions(certificate.keyCertOptions()))
        .requestHandler(request -> request.response().end("secret"));
    await(tls.listen(0));
    try {
      EgressException e = fetchFails("https://ok.test:" + tls.actualPort() + "/",
          loopbackPolicy("ok.test"));
      assertEquals(EgressFailure.TLS_FAILURE, e.failure());
      assertEquals(1, dials.dials().size());
    } finally {
      await(tls.close());
    }
  }
}
