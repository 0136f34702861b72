package io.codesous.egress;

import static io.codesous.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loopback in every spelling is refused before any connection. The allow-list names loopback in
 * its canonical forms, so what refuses is the address policy, not a missing allow-list entry; the
 * control tests show the same spellings do reach the server once loopback is allowed, so the
 * refusals are not an accident of unreachable URLs.
 */
class LoopbackRefusalTest extends EgressTestSupport {

  private static final EgressPolicy LOOPBACK_LISTED_BUT_NOT_ALLOWED =
      EgressPolicy.allowing("127.0.0.1", "::1", "ok.test", "localhost", "v6.test");

  @ParameterizedTest(name = "http://{0}:port/ is refused")
  @ValueSource(strings = {
      "127.0.0.1", "127.0.0.1.", "127.255.255.254", "2130706433", "0177.0.0.1", "0x7f.0.0.1",
      "0X7F.0.0.1", "0x7f000001", "017700000001", "127.1", "127.0.1", "0x7f.1", "0177.1",
      "127.000.000.001", "0x7f.0x0.0x0.0x1", "127.0x0.01", "１２７.０.０.１", "１２７。０。０。１",
      "[::1]", "[0:0:0:0:0:0:0:1]", "[0000:0000:0000:0000:0000:0000:0000:0001]",
      "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:7f00:1]", "[::127.0.0.1]",
      "[64:ff9b::7f00:1]", "[64:ff9b::127.0.0.1]", "[2002:7f00:1::]",
      "localhost", "localhost.", "LOCALHOST", "ok.test", "v6.test",
  })
  void refusesLoopbackInEverySpelling(String host) throws Exception {
    EgressException e = fetchFails(url(host, "/echo"), LOOPBACK_LISTED_BUT_NOT_ALLOWED);
    assertEquals(EgressFailure.ADDRESS_REFUSED, e.failure(), e.getMessage());
    assertEquals(EgressErrorCode.CS_CAPABILITY_DENIED, e.code());
    assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    assertNothingSent();
  }

  @ParameterizedTest(name = "http://{0}:port/ is refused even with loopback allowed")
  @ValueSource(strings = {"0.0.0.0", "0", "0x0", "0.0", "000.000.000.000", "[::]", "[0::0]",
      "[::ffff:0.0.0.0]"})
  void refusesTheUnspecifiedAddressWhichLinuxTreatsAsLoopback(String host) throws Exception {
    EgressException e = fetchFails(url(host, "/echo"),
        loopbackPolicy("0.0.0.0", "::", "::ffff:0.0.0.0"));
    assertEquals(EgressFailure.ADDRESS_REFUSED, e.failure(), e.getMessage());
    assertNothingSent();
  }

  @ParameterizedTest(name = "http://{0}:port/ reaches 127.0.0.1 when loopback is allowed")
  @ValueSource(strings = {
      "127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "127.1", "127.0.1",
      "0x7f.1", "１２７.０.０.１", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "localhost.",
      "ok.test",
  })
  void theSameSpellingsReachTheServerOnceLoopbackIsAllowed(String host) throws Exception {
    FetchResponse response = fetchOk(FetchRequest.get(url(host, "/echo")),
        loopbackPolicy("127.0.0.1", "::ffff:127.0.0.1", "localhost", "ok.test"));
    assertEquals(200, response.status());
    assertEquals(List.of("GET /echo"), server.requests());
    assertEquals(List.of(new InetSocketAddress("127.0.0.1", server.port())), dials.dials());
  }

  @ParameterizedTest(name = "http://{0}:port/ reaches ::1 when loopback is allowed")
  @ValueSource(strings = {"[::1]", "[0:0:0:0:0:0:0:1]", "v6.test"})
  void ipv6LoopbackSpellingsReachAnIpv6Server(String host) throws Exception {
    TestServer v6;
    try {
      v6 = TestServer.start(vertx, "::1");
    } catch (Exception e) {
      assumeTrue(false, "no IPv6 loopback here");
      return;
    }
    try {
      FetchResponse response = await(client.fetch(
          FetchRequest.get("http://" + host + ":" + v6.port() + "/echo"),
          loopbackPolicy("::1", "v6.test")));
      assertEquals(200, response.status());
      String expectedHost = host.equals("v6.test") ? "v6.test" : "[::1]";
      JsonObject echo = new JsonObject(response.bodyAsString());
      assertEquals(expectedHost + ":" + v6.port(), echo.getString("host"));
      assertEquals(1, echo.getInteger("hostHeaders"));
      assertEquals(List.of("GET /echo"), v6.requests());
      assertEquals(1, dials.dials().size());
      assertTrue(dials.dials().get(0).getAddress().isLoopbackAddress());
    } finally {
      v6.close();
    }
  }
}
