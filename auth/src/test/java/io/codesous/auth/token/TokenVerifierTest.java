package io.codesous.auth.token;

import static io.codesous.auth.token.TestKeys.EC;
import static io.codesous.auth.token.TestKeys.ED;
import static io.codesous.auth.token.TestKeys.RSA;
import static io.codesous.auth.token.TestKeys.sign;
import static io.codesous.auth.token.TestKeys.validClaims;
import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.codesous.auth.AuthenticationException;
import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenVerifierTest {

  private static Vertx vertx;
  private static TokenVerifier verifier;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    verifier = TokenVerifier.create(vertx, TestKeys.options(RSA, EC, ED));
  }

  @AfterAll
  static void stop() {
    await(verifier.close());
    await(vertx.close());
  }

  private static Principal accepted(String token) {
    return await(verifier.verify(token));
  }

  private static void assertRefused(String token) {
    Throwable failure = awaitFailure(verifier.verify(token));
    assertInstanceOf(AuthenticationException.class, failure);
    assertEquals("invalid token", failure.getMessage());
  }

  static Stream<JWK> signingKeys() {
    return Stream.of(RSA, EC, ED);
  }

  @ParameterizedTest
  @MethodSource("signingKeys")
  void acceptsEachAlgorithm(JWK key) {
    Principal principal = accepted(sign(key, validClaims().jwtID("id-1").build()));
    assertEquals(new Principal("agent-7", "acme", Set.of("developer"), PrincipalKind.USER, "id-1"), principal);
  }

  @Test
  void acceptsTheFullySpecifiedEd25519AlgorithmName() {
    assertEquals("agent-7", accepted(sign(ED, JWSAlgorithm.Ed25519, ED.getKeyID(), validClaims().build())).subject());
  }

  @Test
  void tokenWithoutKeyIdIsTriedAgainstKeysOfItsType() {
    assertEquals("agent-7", accepted(sign(EC, JWSAlgorithm.ES256, null, validClaims().build())).subject());
  }

  @Test
  void readsRolesGivenAsSpaceSeparatedStringAndTheServiceKind() {
    Principal principal = accepted(sign(RSA, validClaims()
        .claim("roles", "invoker  reader")
        .claim("kind", "service")
        .jwtID(null)
        .build()));
    assertEquals(Set.of("invoker", "reader"), principal.roles());
    assertEquals(PrincipalKind.SERVICE, principal.kind());
    assertNull(principal.tokenId());
  }

  @Test
  void missingRolesMeansNoRoles() {
    assertTrue(accepted(sign(RSA, validClaims().claim("roles", null).build())).roles().isEmpty());
  }

  @Test
  void acceptsThePlatformWideTenant() {
    assertTrue(accepted(sign(EC, validClaims().claim("tenant", "*").claim("roles", List.of("admin")).build()))
        .isPlatformAdmin());
  }

  @Test
  void acceptsExpiryAndNotBeforeWithinTheClockSkew() {
    Instant now = Instant.now();
    accepted(sign(RSA, validClaims().expirationTime(Date.from(now.minusSeconds(10))).build()));
    accepted(sign(RSA, validClaims().notBeforeTime(Date.from(now.plusSeconds(10))).build()));
  }

  @Test
  void bearerHeaderIsUnwrapped() {
    String token = sign(ED, validClaims().build());
    assertEquals("agent-7", await(verifier.verifyAuthorizationHeader("Bearer " + token)).subject());
    assertEquals("agent-7", await(verifier.verifyAuthorizationHeader("bearer " + token)).subject());
    for (String header : new String[] {null, "", "Bearer ", "Basic " + token, token}) {
      Throwable failure = awaitFailure(verifier.verifyAuthorizationHeader(header));
      assertEquals(AuthenticationException.MESSAGE, failure.getMessage());
    }
  }

  static Stream<Arguments> refusedTokens() throws Exception {
    Instant now = Instant.now();
    String valid = sign(RSA, validClaims().build());
    String[] validParts = valid.split("\\.");
    JWTClaimsSet claims = validClaims().build();
    String payload = Base64URL.encode(claims.toString()).toString();
    String rsaPublicPem = pem(RSA.toRSAPublicKey().getEncoded());
    return Stream.of(
        Arguments.of("expired beyond the skew",
            sign(RSA, validClaims().expirationTime(Date.from(now.minusSeconds(120))).build())),
        Arguments.of("not yet valid beyond the skew",
            sign(EC, validClaims().notBeforeTime(Date.from(now.plusSeconds(120))).build())),
        Arguments.of("wrong issuer", sign(ED, validClaims().issuer("https://evil.test").build())),
        Arguments.of("wrong audience", sign(RSA, validClaims().audience("someone-else").build())),
        Arguments.of("no audience", sign(RSA, validClaims().audience((String) null).build())),
        Arguments.of("no expiry", sign(RSA, validClaims().expirationTime(null).build())),
        Arguments.of("no subject", sign(RSA, validClaims().subject(null).build())),
        Arguments.of("alg none, no signature",
            Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + "."),
        Arguments.of("alg none with a kid and a signature",
            Base64URL.encode("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + validParts[1] + "." + validParts[2]),
        Arguments.of("HS256 keyed with the RSA public key bytes (key confusion)",
            hmac(RSA.toRSAPublicKey().getEncoded(), "rsa-1", claims)),
        Arguments.of("HS256 keyed with the RSA public key PEM text (key confusion)",
            hmac(rsaPublicPem.getBytes(StandardCharsets.UTF_8), "rsa-1", claims)),
        Arguments.of("HS256 without kid", hmac(RSA.toRSAPublicKey().getEncoded(), null, claims)),
        Arguments.of("unknown kid", sign(RSA, JWSAlgorithm.RS256, "rsa-unknown", validClaims().build())),
        Arguments.of("another key under a known kid",
            sign(TestKeys.ec("ec-1"), validClaims().build())),
        Arguments.of("ES256 header naming the RSA key", sign(EC, JWSAlgorithm.ES256, "rsa-1", validClaims().build())),
        Arguments.of("RS384 is not accepted", sign(RSA, JWSAlgorithm.RS384, "rsa-1", validClaims().build())),
        Arguments.of("missing tenant claim", sign(RSA, validClaims().claim("tenant", null).build())),
        Arguments.of("tenant claim not a string", sign(RSA, validClaims().claim("tenant", 42).build())),
        Arguments.of("tenant claim not a tenant name", sign(RSA, validClaims().claim("tenant", "Acme Corp").build())),
        Arguments.of("roles holding a non-string", sign(RSA, validClaims().claim("roles", List.of("reader", 7)).build())),
        Arguments.of("unknown kind", sign(RSA, validClaims().claim("kind", "robot").build())),
        Arguments.of("payload changed after signing",
            validParts[0] + "." + Base64URL.encode(validClaims().claim("roles", List.of("admin")).build().toString())
                + "." + validParts[2]),
        Arguments.of("signature removed", validParts[0] + "." + validParts[1] + "."),
        Arguments.of("empty", ""),
        Arguments.of("blank", "   "),
        Arguments.of("null", null),
        Arguments.of("garbage", "not-a-token"),
        Arguments.of("three garbage parts", "a.b.c"),
        Arguments.of("five parts (JWE shape)", "a.b.c.d.e"),
        Arguments.of("base64 of nothing useful", Base64.getUrlEncoder().encodeToString(new byte[64]) + ".x.y"),
        Arguments.of("too long", valid + "A".repeat(TokenVerifierOptions.DEFAULT_MAX_TOKEN_LENGTH)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedTokens")
  void refusesWithTheOneGenericError(String why, String token) {
    assertRefused(token);
  }

  private static String reason(Future<Principal> refused) {
    Throwable failure = awaitFailure(refused);
    assertEquals(AuthenticationException.MESSAGE, failure.getMessage(), "the caller's message stays the same");
    return ((AuthenticationException) failure).reason();
  }

  @Test
  void theRealReasonOfARefusalIsKeptForTheServersLog() throws Exception {
    Instant expiredAt = Instant.now().minusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    assertEquals("expired at " + expiredAt,
        reason(verifier.verify(sign(RSA, validClaims().expirationTime(Date.from(expiredAt)).build()))));
    assertEquals("wrong key id: no key fits kid rsa-unknown (alg RS256)",
        reason(verifier.verify(sign(RSA, JWSAlgorithm.RS256, "rsa-unknown", validClaims().build()))));
    assertEquals("bad signature", reason(verifier.verify(sign(TestKeys.ec("ec-1"), validClaims().build()))));
    String audience = reason(verifier.verify(sign(RSA, validClaims().audience("someone-else").build())));
    assertTrue(audience.startsWith("wrong audience [someone-else], expected "), audience);
    assertEquals("missing authorization header", reason(verifier.verifyAuthorizationHeader(null)));
    assertEquals("authorization header is not Bearer credentials",
        reason(verifier.verifyAuthorizationHeader("Basic dXNlcjpwdw==")));
  }

  @Test
  void pemPublicKeysVerifyTokensByThumbprintOrWithoutKid() throws Exception {
    TokenVerifierOptions options = new TokenVerifierOptions()
        .setIssuer(TestKeys.ISSUER)
        .setAudience(TestKeys.AUDIENCE)
        .addPublicKeyPem(pem(RSA.toRSAPublicKey().getEncoded()) + "\n" + pem(EC.toECPublicKey().getEncoded()))
        .addPublicKeyPem(pem(Ed25519Keys.toPublicKey(ED).getEncoded()));
    TokenVerifier pemVerifier = TokenVerifier.create(vertx, options);
    try {
      String edThumbprint = ED.toPublicJWK().computeThumbprint().toString();
      assertEquals("agent-7", await(pemVerifier.verify(
          sign(ED, JWSAlgorithm.EdDSA, edThumbprint, validClaims().build()))).subject());
      assertEquals("agent-7", await(pemVerifier.verify(
          sign(RSA, JWSAlgorithm.RS256, null, validClaims().build()))).subject());
      assertEquals("agent-7", await(pemVerifier.verify(
          sign(EC, JWSAlgorithm.ES256, null, validClaims().build()))).subject());
      // the configured key id "ec-1" is not known to a PEM-only verifier
      assertInstanceOf(AuthenticationException.class, awaitFailure(pemVerifier.verify(sign(EC, validClaims().build()))));
    } finally {
      pemVerifier.close();
    }
  }

  @Test
  void unusableConfiguredKeysFailAtCreation() {
    assertThrows(IllegalArgumentException.class, () -> TokenVerifier.create(vertx, new TokenVerifierOptions()));
    // a symmetric key in the configured set is refused rather than silently usable
    TokenVerifierOptions withSecret = new TokenVerifierOptions().setJwks(new io.vertx.core.json.JsonObject(
        "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"h\",\"k\":\"" + Base64URL.encode(new byte[32]) + "\"}]}"));
    assertThrows(IllegalArgumentException.class, () -> TokenVerifier.create(vertx, withSecret));
    TokenVerifierOptions shortRsa = TestKeys.options(rsa1024());
    assertThrows(IllegalArgumentException.class, () -> TokenVerifier.create(vertx, shortRsa));
    TokenVerifierOptions noPem = new TokenVerifierOptions().addPublicKeyPem("not pem");
    assertThrows(IllegalArgumentException.class, () -> TokenVerifier.create(vertx, noPem));
  }

  private static JWK rsa1024() {
    try {
      java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
      generator.initialize(1024);
      return new com.nimbusds.jose.jwk.RSAKey.Builder(
          (java.security.interfaces.RSAPublicKey) generator.generateKeyPair().getPublic()).keyID("short").build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hmac(byte[] secret, String kid, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
    jwt.sign(new MACSigner(secret));
    return jwt.serialize();
  }

  static String pem(byte[] spki) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(spki)
        + "\n-----END PUBLIC KEY-----\n";
  }
}
