package io.codesous.platform;

import io.codesous.auth.token.LocalSigningKey;
import io.codesous.auth.token.LocalSigningKeyOptions;
import io.codesous.auth.token.TokenVerifierOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A process that trusts keys from configuration instead of its data directory: a JWKS URL, or nothing at all. */
class PlatformAuthConfigTest {

  static final String FUNCTIONS = "/v1/tenants/acme/namespaces/default/functions";

  @TempDir
  Path dir;

  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  LocalSigningKey key(String name) throws Exception {
    return LocalSigningKey.loadOrCreate(new LocalSigningKeyOptions().setDataDir(dir.resolve(name).toString()));
  }

  @Test
  void tokensAreCheckedAgainstAJwksUrlAndARotatedKeyIsPickedUp() throws Exception {
    LocalSigningKey first = key("first");
    LocalSigningKey second = key("second");
    LocalSigningKey never = key("never");
    AtomicReference<JsonArray> published = new AtomicReference<>(first.publicJwkSet().getJsonArray("keys"));
    AtomicInteger fetches = new AtomicInteger();
    HttpServer jwks = vertx.createHttpServer().requestHandler(request -> {
      fetches.incrementAndGet();
      request.response().putHeader("content-type", "application/json")
          .end(new JsonObject().put("keys", published.get()).encode());
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);

    PlatformOptions options = new PlatformOptions().setPort(0).setDataDir(dir.resolve("data").toString())
        .setComponents(Set.of(Components.CONTROL));
    options.getSecurity().setLocalKey(false).setToken(new TokenVerifierOptions()
        .setJwksUrl("http://127.0.0.1:" + jwks.actualPort() + "/jwks.json")
        .setJwksMinRefreshIntervalSeconds(0));
    try (RunningPlatform running = RunningPlatform.startOn(vertx, options)) {
      Platform platform = running.platform();
      assertEquals(null, platform.security().adminToken(), "no local key, no operator token");
      assertFalse(Files.exists(dir.resolve("data").resolve("signing-key.jwk")));
      TestHttp http = new TestHttp(platform.host(), platform.port(), null);
      Duration ttl = Duration.ofMinutes(5);

      assertEquals(200, http.as(first.mint("alice", "acme", Set.of("reader"), ttl)).get(FUNCTIONS).statusCode());
      assertEquals(401, http.as(second.mint("bob", "acme", Set.of("reader"), ttl)).get(FUNCTIONS).statusCode(),
          "a key the issuer has not published yet");

      // the issuer rotates: the unknown key id makes the verifier fetch the set again
      published.set(first.publicJwkSet().getJsonArray("keys").copy()
          .addAll(second.publicJwkSet().getJsonArray("keys")));
      int before = fetches.get();
      assertEquals(200, http.as(second.mint("bob", "acme", Set.of("reader"), ttl)).get(FUNCTIONS).statusCode());
      assertTrue(fetches.get() > before);
      assertEquals(401, http.as(never.mint("eve", "acme", Set.of("admin"), ttl)).get(FUNCTIONS).statusCode());
    }
  }

  @Test
  void aProcessWithoutAnyTrustedKeyRefusesToStart() {
    PlatformOptions options = new PlatformOptions().setPort(0).setDataDir(dir.resolve("data").toString());
    options.getSecurity().setLocalKey(false);
    Exception refused = assertThrows(Exception.class, () -> Platform.start(vertx, options).await(60, TimeUnit.SECONDS));
    assertTrue(String.valueOf(refused.getMessage()).contains("auth.localKey"), refused.getMessage());
  }

  @Test
  void configuredRolesAreLaidOverTheBuiltInOnes() throws Exception {
    PlatformOptions options = new PlatformOptions().setPort(0).setDataDir(dir.resolve("data").toString())
        .setComponents(Set.of(Components.CONTROL));
    options.getSecurity().setRoles(new JsonObject().put("tenants", new JsonObject().put("acme",
        new JsonObject().put("roles", new JsonObject().put("auditor", new JsonArray().add("function:list"))))));
    try (RunningPlatform running = RunningPlatform.startOn(vertx, options)) {
      Platform platform = running.platform();
      LocalSigningKey local = platform.security().localKey();
      TestHttp http = new TestHttp(platform.host(), platform.port(), null);
      String acmeAuditor = local.mint("a", "acme", Set.of("auditor"), Duration.ofMinutes(5));
      String globexAuditor = local.mint("g", "globex", Set.of("auditor"), Duration.ofMinutes(5));
      assertEquals(200, http.as(acmeAuditor).get(FUNCTIONS).statusCode());
      assertEquals(403, http.as(acmeAuditor).get(FUNCTIONS + "/x").statusCode());
      assertEquals(403, http.as(globexAuditor).get("/v1/tenants/globex/namespaces/default/functions").statusCode(),
          "the role is defined for acme only");
    }
  }
}
