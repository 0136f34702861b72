package io.codesous.auth.token;

import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jwt.SignedJWT;
import io.codesous.auth.AuthenticationException;
import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LocalSigningKeyTest {

  private static Vertx vertx;

  @TempDir
  Path dataDir;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  private LocalSigningKeyOptions options(SigningAlgorithm algorithm) {
    return new LocalSigningKeyOptions().setDataDir(dataDir.toString()).setAlgorithm(algorithm);
  }

  private static Principal verify(LocalSigningKey key, String token) {
    TokenVerifier verifier = TokenVerifier.create(vertx, key.verifierOptions());
    try {
      return await(verifier.verify(token));
    } finally {
      verifier.close();
    }
  }

  @ParameterizedTest
  @EnumSource(SigningAlgorithm.class)
  void firstStartCreatesTheKeyAndLaterStartsLoadIt(SigningAlgorithm algorithm) throws IOException {
    LocalSigningKey first = LocalSigningKey.loadOrCreate(options(algorithm));
    assertTrue(first.created());
    assertEquals(algorithm, first.algorithm());
    assertTrue(Files.isRegularFile(dataDir.resolve(LocalSigningKey.KEY_FILE)));

    // another algorithm asked for later does not replace the existing key
    SigningAlgorithm other = algorithm == SigningAlgorithm.ES256 ? SigningAlgorithm.ED25519 : SigningAlgorithm.ES256;
    LocalSigningKey second = LocalSigningKey.loadOrCreate(options(other));
    assertFalse(second.created());
    assertEquals(algorithm, second.algorithm());
    assertEquals(first.keyId(), second.keyId());
    assertEquals(first.publicJwkSet(), second.publicJwkSet());

    // a token minted before the "restart" verifies with the reloaded key, and the other way round
    String before = first.mint("agent-7", "acme", Set.of("developer"), Duration.ofMinutes(5));
    assertEquals("agent-7", verify(second, before).subject());
    String after = second.mint("agent-8", "acme", Set.of("reader"), Duration.ofMinutes(5));
    assertEquals("agent-8", verify(first, after).subject());
  }

  @ParameterizedTest
  @EnumSource(SigningAlgorithm.class)
  void mintedTokensCarryTheClaimsTheVerifierReads(SigningAlgorithm algorithm) throws Exception {
    LocalSigningKey key = LocalSigningKey.loadOrCreate(options(algorithm));
    String token = key.mint("sched", "*", Set.of("service:scheduler"), PrincipalKind.SERVICE, Duration.ofMinutes(5));

    SignedJWT jwt = SignedJWT.parse(token);
    assertEquals(key.keyId(), jwt.getHeader().getKeyID());
    assertEquals(algorithm.jwsAlgorithm(), jwt.getHeader().getAlgorithm());
    assertEquals(TokenVerifierOptions.DEFAULT_ISSUER, jwt.getJWTClaimsSet().getIssuer());
    assertEquals(java.util.List.of(TokenVerifierOptions.DEFAULT_AUDIENCE), jwt.getJWTClaimsSet().getAudience());
    assertTrue(jwt.getJWTClaimsSet().getExpirationTime().after(jwt.getJWTClaimsSet().getIssueTime()));

    Principal principal = verify(key, token);
    assertEquals(new Principal("sched", "*", Set.of("service:scheduler"), PrincipalKind.SERVICE,
        jwt.getJWTClaimsSet().getJWTID()), principal);
    assertNotEquals(SignedJWT.parse(key.mint("a", "acme", Set.of(), Duration.ofMinutes(1))).getJWTClaimsSet().getJWTID(),
        SignedJWT.parse(key.mint("a", "acme", Set.of(), Duration.ofMinutes(1))).getJWTClaimsSet().getJWTID());
  }

  @Test
  void tokensOfAnotherDataDirectoryAreRefused(@TempDir Path otherDir) throws IOException {
    LocalSigningKey mine = LocalSigningKey.loadOrCreate(options(SigningAlgorithm.ES256));
    LocalSigningKey theirs = LocalSigningKey.loadOrCreate(
        new LocalSigningKeyOptions().setDataDir(otherDir.toString()));
    TokenVerifier verifier = TokenVerifier.create(vertx, mine.verifierOptions());
    try {
      Throwable failure = awaitFailure(verifier.verify(theirs.mint("x", "acme", Set.of("admin"), Duration.ofMinutes(5))));
      assertInstanceOf(AuthenticationException.class, failure);
    } finally {
      verifier.close();
    }
  }

  @Test
  void adminTokenFileHoldsAPlatformAdminToken() throws IOException {
    LocalSigningKey key = await(LocalSigningKey.loadOrCreate(vertx, options(SigningAlgorithm.ED25519)));
    AdminToken admin = await(key.writeAdminToken(vertx));

    assertEquals(dataDir.resolve(LocalSigningKey.ADMIN_TOKEN_FILE), admin.file());
    assertEquals(admin.token(), Files.readString(admin.file(), StandardCharsets.UTF_8).trim());
    assertFalse(admin.toString().contains(admin.token()), "the token must not leak through toString");
    Principal principal = verify(key, admin.token());
    assertTrue(principal.isPlatformAdmin());
    assertEquals(LocalSigningKey.ADMIN_SUBJECT, principal.subject());

    // asking again replaces the file with a fresh token
    AdminToken again = key.writeAdminToken(Duration.ofMinutes(1));
    assertNotEquals(admin.token(), again.token());
    assertEquals(again.token(), Files.readString(again.file(), StandardCharsets.UTF_8).trim());
  }

  @Test
  void keyAndAdminTokenFilesAreOwnerOnly() throws IOException {
    assumeTrue(OwnerOnlyFiles.posix(), "file system without POSIX permissions");
    LocalSigningKey key = LocalSigningKey.loadOrCreate(options(SigningAlgorithm.ES256));
    key.writeAdminToken();
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key.keyFile())));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key.adminTokenFile())));
  }

  @Test
  void aKeyFileReadableByOthersIsNarrowedOnLoad() throws IOException {
    assumeTrue(OwnerOnlyFiles.posix(), "file system without POSIX permissions");
    LocalSigningKey key = LocalSigningKey.loadOrCreate(options(SigningAlgorithm.ES256));
    Files.setPosixFilePermissions(key.keyFile(), PosixFilePermissions.fromString("rw-r--r--"));
    LocalSigningKey.loadOrCreate(options(SigningAlgorithm.ES256));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key.keyFile())));
  }

  @Test
  void unusableKeyFilesFailToLoad() throws IOException {
    Path keyFile = dataDir.resolve(LocalSigningKey.KEY_FILE);
    Files.writeString(keyFile, "{not json");
    assertThrows(IOException.class, () -> LocalSigningKey.loadOrCreate(options(SigningAlgorithm.ES256)));
    // a public key alone cannot sign
    Files.writeString(keyFile, TestKeys.EC.toPublicJWK().toJSONString());
    assertThrows(IOException.class, () -> LocalSigningKey.loadOrCreate(options(SigningAlgorithm.ES256)));
    // RSA is not a type the local key uses
    Files.writeString(keyFile, TestKeys.RSA.toJSONString());
    assertThrows(IOException.class, () -> LocalSigningKey.loadOrCreate(options(SigningAlgorithm.ES256)));
  }

  @Test
  void mintRefusesBadArguments() throws IOException {
    LocalSigningKey key = LocalSigningKey.loadOrCreate(options(SigningAlgorithm.ES256));
    assertThrows(IllegalArgumentException.class, () -> key.mint(" ", "acme", Set.of(), Duration.ofMinutes(1)));
    assertThrows(IllegalArgumentException.class, () -> key.mint("a", "Not A Tenant", Set.of(), Duration.ofMinutes(1)));
    assertThrows(IllegalArgumentException.class, () -> key.mint("a", "acme", Set.of(), Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> key.mint("a", "acme", Set.of(), Duration.ofSeconds(-5)));
  }

  @Test
  void optionsRoundTripThroughJson() {
    LocalSigningKeyOptions options = new LocalSigningKeyOptions()
        .setDataDir("/var/lib/cs")
        .setAlgorithm(SigningAlgorithm.ED25519)
        .setIssuer("iss")
        .setAudience("aud")
        .setAdminTokenTtlSeconds(60);
    assertEquals(options.toJson(), new LocalSigningKeyOptions(options.toJson()).toJson());
    assertEquals(SigningAlgorithm.ED25519, new LocalSigningKeyOptions(options.toJson()).getAlgorithm());
    assertEquals(LocalSigningKeyOptions.DEFAULT_ADMIN_TOKEN_TTL_SECONDS,
        new LocalSigningKeyOptions(new io.vertx.core.json.JsonObject()).getAdminTokenTtlSeconds());
  }
}
