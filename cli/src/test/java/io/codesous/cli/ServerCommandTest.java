package io.codesous.cli;

import io.codesous.auth.token.AdminToken;
import io.codesous.platform.ConfigLoader;
import io.codesous.platform.PlatformOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerCommandTest {

  @Test
  void theClientsVariablesAndTheJvmOptionsDoNotReachTheServersConfiguration() {
    Map<String, String> env = Map.of("CS_TOKEN", "t", "CS_URL", "http://127.0.0.1:9", "CS_PORT", "9090",
        "CS_JAVA_OPTS", "-Xmx1g", "HOME", "/root");
    assertEquals(Map.of("CS_PORT", "9090", "HOME", "/root"), ServerCommand.serverEnvironment(env));
    assertEquals(9090, ConfigLoader.load(null, ServerCommand.serverEnvironment(env)).getPort());
  }

  @Test
  void aStartStepThatDoesNotFinishInTimeIsNamedInTheMessage() {
    TimeoutException timedOut = assertThrows(TimeoutException.class, () -> ServerCommand.awaitStart(
        Promise.promise().future(), "the platform (stores)", Duration.ofMillis(50)));
    assertEquals("the platform (stores) did not start within 50 ms; a backend that does not answer, or a machine "
        + "too busy to finish it in that time, are the usual causes", timedOut.getMessage());
  }

  @Test
  void aStartStepThatFailsWithoutAMessageIsNamedWithItsFailure() {
    Exception failed = assertThrows(Exception.class, () -> ServerCommand.awaitStart(
        Future.failedFuture(new IllegalStateException()), "the Vert.x instance", Duration.ofSeconds(5)));
    assertEquals("the Vert.x instance failed: java.lang.IllegalStateException", failed.getMessage());
  }

  static String banner(AdminToken admin) {
    return banner(admin, true);
  }

  static String banner(AdminToken admin, boolean terminal) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ServerCommand.printBanner(new PrintStream(bytes, true, StandardCharsets.UTF_8), "127.0.0.1", 8123,
        new PlatformOptions(), admin, terminal, 9464);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withALocalKeyTheBannerGivesTheAdminTokenOnceAndWhereItIsKept() {
    String token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl";
    Path file = Path.of("/var/lib/code-sous/admin.token");
    String banner = banner(new AdminToken(token, file, Instant.now().plusSeconds(3600)));
    assertTrue(banner.contains("code-sous listening on http://127.0.0.1:8123"), banner);
    assertTrue(banner.contains("written to " + file), banner);
    String nl = System.lineSeparator();
    assertTrue(banner.contains(nl + "    export CS_TOKEN=" + token + nl), banner);
    // the example request refers to the variable, so the token is on the screen once
    assertEquals(banner.indexOf(token), banner.lastIndexOf(token), banner);
    assertTrue(banner.contains("Bearer $CS_TOKEN"), banner);
  }

  @Test
  void whenStdoutIsNotATerminalTheBannerGivesTheTokensFileInsteadOfTheToken() {
    String token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl";
    Path file = Path.of("/var/lib/code-sous/admin.token");
    String banner = banner(new AdminToken(token, file, Instant.now().plusSeconds(3600)), false);
    assertFalse(banner.contains(token), banner);
    assertTrue(banner.contains("export CS_TOKEN=$(cat " + file + ")"), banner);
  }

  @Test
  void withoutALocalKeyTheBannerHasNoToken() {
    String banner = banner(null);
    assertTrue(banner.contains("code-sous listening on http://127.0.0.1:8123"), banner);
    assertTrue(banner.contains("/healthz"), banner);
    assertFalse(banner.contains("CS_TOKEN"), banner);
    assertTrue(banner.contains("management:  http://127.0.0.1:9464/metrics"), banner);
    assertFalse(banner.contains("admin token"), banner);
    assertFalse(banner.contains("admin.token"), banner);
  }
}
