package io.codesous.cli;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line reads its token's expiry and says so, instead of sending it for an opaque refusal. */
class TokenExpiryTest {

  static String jwt(String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
  }

  @Test
  void anExpiredTokenIsNotSentAndTheMessageSaysWhenItExpired() throws Exception {
    long expired = Instant.now().getEpochSecond() - 7200;
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    // a request sent to the closed port would end as "unreachable" (exit 1): the check comes first
    CliRun run = CliRun.run(Map.of("CS_TOKEN", jwt("{\"sub\":\"alice\",\"exp\":" + expired + "}"),
        "CS_URL", "http://127.0.0.1:" + closedPort), "api", "GET", "/v1/tenants/acme/namespaces/default/functions");

    assertEquals(CliException.DENIED, run.exitCode(), run.toString());
    assertTrue(run.err().contains("the token from CS_TOKEN expired at " + Instant.ofEpochSecond(expired)),
        run.toString());
    assertTrue(run.err().contains("(2 h ago)"), run.toString());
  }

  @Test
  void theExpiryIsReadOnlyFromAJwtThatCarriesOne() {
    assertEquals(Optional.of(Instant.ofEpochSecond(1700000000)), TokenExpiry.of(jwt("{\"exp\":1700000000}")));
    assertEquals(Optional.empty(), TokenExpiry.of(jwt("{\"sub\":\"x\"}")));
    assertEquals(Optional.empty(), TokenExpiry.of("opaque-token"));
    assertEquals(Optional.empty(), TokenExpiry.of("a.!!!.c"));
  }
}
