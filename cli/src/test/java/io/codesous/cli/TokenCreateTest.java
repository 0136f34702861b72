package io.codesous.cli;

import com.nimbusds.jwt.SignedJWT;
import io.codesous.auth.AuthenticationException;
import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.codesous.auth.token.LocalSigningKey;
import io.codesous.auth.token.LocalSigningKeyOptions;
import io.codesous.auth.token.TokenVerifier;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenCreateTest {

  static Vertx vertx;

  @TempDir
  Path dataDir;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  LocalSigningKey createKey() throws Exception {
    return LocalSigningKey.loadOrCreate(new LocalSigningKeyOptions().setDataDir(dataDir.toString()));
  }

  static Principal verify(LocalSigningKey key, String token) throws Exception {
    TokenVerifier verifier = TokenVerifier.create(vertx, key.verifierOptions());
    return verifier.verify(token).await(10, TimeUnit.SECONDS);
  }

  @Test
  void mintsATokenTheServersKeyVerifies() throws Exception {
    LocalSigningKey key = createKey();
    Instant before = Instant.now();
    CliRun run = CliRun.run(Map.of(), "token", "create", "--data-dir", dataDir.toString(), "--tenant", "acme",
        "--roles", "developer, reader", "--ttl", "15m", "--subject", "alice", "--kind", "service");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().endsWith("\n"), run.toString());
    String token = run.out().substring(0, run.out().length() - 1);
    assertFalse(token.contains("\n") || token.contains(" "), "stdout holds the token alone");
    assertEquals("", run.err());

    Principal principal = verify(key, token);
    assertEquals("alice", principal.subject());
    assertEquals("acme", principal.tenant());
    assertEquals(Set.of("developer", "reader"), principal.roles());
    assertEquals(PrincipalKind.SERVICE, principal.kind());

    Instant expiry = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
    Duration ttl = Duration.between(before, expiry);
    assertTrue(ttl.compareTo(Duration.ofMinutes(14)) > 0 && ttl.compareTo(Duration.ofMinutes(16)) < 0, ttl::toString);
  }

  @Test
  void mintsPlatformWideTokensWithDefaults() throws Exception {
    LocalSigningKey key = createKey();
    CliRun run = CliRun.run(Map.of(), "token", "create", "--data-dir", dataDir.toString(), "--tenant", "*",
        "--roles", "admin");
    assertEquals(0, run.exitCode(), run.toString());
    Principal principal = verify(key, run.out().strip());
    assertTrue(principal.isPlatformAdmin());
    assertEquals(PrincipalKind.USER, principal.kind());
    Duration ttl = Duration.between(Instant.now(),
        SignedJWT.parse(run.out().strip()).getJWTClaimsSet().getExpirationTime().toInstant());
    assertTrue(ttl.compareTo(Duration.ofMinutes(59)) > 0 && ttl.compareTo(Duration.ofMinutes(61)) < 0, ttl::toString);
  }

  @Test
  void findsTheKeyThroughTheDataDirVariable() throws Exception {
    LocalSigningKey key = createKey();
    CliRun run = CliRun.run(Map.of(Cs.ENV_DATA_DIR, dataDir.toString()), "token", "create", "--tenant", "acme",
        "--roles", "invoker");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(Set.of("invoker"), verify(key, run.out().strip()).roles());
  }

  @Test
  void takesDataDirIssuerAndAudienceFromTheServersConfiguration() throws Exception {
    LocalSigningKey key = LocalSigningKey.loadOrCreate(new LocalSigningKeyOptions().setDataDir(dataDir.toString())
        .setIssuer("https://issuer.example").setAudience("cs-test"));
    Path config = Files.writeString(dataDir.resolve("cs.yaml"), "dataDir: " + dataDir + "\n"
        + "auth:\n  token:\n    issuer: https://issuer.example\n    audience: cs-test\n");
    CliRun run = CliRun.run(Map.of(), "token", "create", "--config", config.toString(), "--tenant", "acme",
        "--roles", "reader");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("acme", verify(key, run.out().strip()).tenant());

    // without the configuration the token carries the default issuer, which this server refuses
    CliRun plain = CliRun.run(Map.of(), "token", "create", "--data-dir", dataDir.toString(), "--tenant", "acme",
        "--roles", "reader");
    assertEquals(0, plain.exitCode(), plain.toString());
    assertInstanceOf(AuthenticationException.class, assertThrows(Exception.class, () -> verify(key, plain.out().strip())));
  }

  @Test
  void refusesWhenTheServerDoesNotTrustTheLocalKey() throws Exception {
    createKey();
    Path config = Files.writeString(dataDir.resolve("cs.yaml"), "auth:\n  localKey: false\n");
    CliRun run = CliRun.run(Map.of(), "token", "create", "--config", config.toString(), "--data-dir",
        dataDir.toString(), "--tenant", "acme", "--roles", "reader");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("auth.localKey"), run.toString());
    assertBadInput("--config", "--config", dataDir.resolve("missing.yaml").toString(), "--tenant", "acme",
        "--roles", "reader");
  }

  @Test
  void tokensOfAnotherKeyAreRefused() throws Exception {
    createKey();
    Path otherDir = Files.createDirectory(dataDir.resolve("other"));
    LocalSigningKey other = LocalSigningKey.loadOrCreate(new LocalSigningKeyOptions().setDataDir(otherDir.toString()));
    CliRun run = CliRun.run(Map.of(), "token", "create", "--data-dir", dataDir.toString(), "--tenant", "acme",
        "--roles", "admin");
    Exception refused = assertThrows(Exception.class, () -> verify(other, run.out().strip()));
    assertInstanceOf(AuthenticationException.class, refused);
  }

  @Test
  void refusesWithoutAKeyAndDoesNotCreateOne() {
    CliRun run = CliRun.run(Map.of(), "token", "create", "--data-dir", dataDir.toString(), "--tenant", "acme",
        "--roles", "admin");
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("", run.out());
    assertTrue(run.err().contains("no signing key"), run.toString());
    assertFalse(Files.exists(dataDir.resolve(LocalSigningKey.KEY_FILE)));
  }

  @Test
  void badInputNamesTheOption() throws Exception {
    createKey();
    String dir = dataDir.toString();
    assertBadInput("--tenant", "--data-dir", dir, "--tenant", "Acme", "--roles", "admin");
    assertBadInput("--tenant", "--data-dir", dir, "--tenant", "**", "--roles", "admin");
    assertBadInput("--roles", "--data-dir", dir, "--tenant", "acme", "--roles", "admin,,reader");
    assertBadInput("--roles", "--data-dir", dir, "--tenant", "acme", "--roles", "");
    assertBadInput("--roles", "--data-dir", dir, "--tenant", "acme", "--roles", "Admin");
    assertBadInput("--ttl", "--data-dir", dir, "--tenant", "acme", "--roles", "admin", "--ttl", "1w");
    assertBadInput("--ttl", "--data-dir", dir, "--tenant", "acme", "--roles", "admin", "--ttl", "0s");
    assertBadInput("--kind", "--data-dir", dir, "--tenant", "acme", "--roles", "admin", "--kind", "robot");
    assertBadInput("--subject", "--data-dir", dir, "--tenant", "acme", "--roles", "admin", "--subject", " ");
    assertBadInput("--roles", "--data-dir", dir, "--tenant", "acme");
  }

  @Test
  void refusesARoleTheServerDoesNotKnowAndAcceptsOneItsConfigurationDefines() throws Exception {
    createKey();
    String dir = dataDir.toString();
    assertBadInput("'develper' is not a role the server knows", "--data-dir", dir, "--tenant", "acme",
        "--roles", "develper");
    Path config = Files.writeString(dataDir.resolve("roles.yaml"), "dataDir: " + dataDir + "\n"
        + "auth:\n  roles:\n    roles:\n      deployer: [\"function:publish\"]\n");
    CliRun run = CliRun.run(Map.of(), "token", "create", "--config", config.toString(), "--tenant", "acme",
        "--roles", "deployer");
    assertEquals(0, run.exitCode(), run.toString());
  }

  static void assertBadInput(String option, String... args) {
    String[] full = new String[args.length + 2];
    full[0] = "token";
    full[1] = "create";
    System.arraycopy(args, 0, full, 2, args.length);
    CliRun run = CliRun.run(Map.of(), full);
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("", run.out(), run.toString());
    assertTrue(run.err().contains(option), run.toString());
  }
}
