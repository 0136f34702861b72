package io.codesous.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonObject;

import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** Keys and tokens for the verifier tests. Generating RSA keys is slow, so tests share them. */
final class TestKeys {

  static final String ISSUER = "https://tikti.test";
  static final String AUDIENCE = "code-sous";

  static final RSAKey RSA = rsa("rsa-1");
  static final ECKey EC = ec("ec-1");
  static final OctetKeyPair ED = ed25519("ed-1");

  private TestKeys() {
  }

  static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static OctetKeyPair ed25519(String kid) {
    try {
      OctetKeyPair raw = Ed25519Keys.toPrivateJwk(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
      return new OctetKeyPair.Builder(raw).keyID(kid).build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public halves as the {@code jwks} option takes them. */
  static JsonObject publicJwks(JWK... keys) {
    return new JsonObject(new JWKSet(List.of(keys)).toPublicJWKSet().toJSONObject(true));
  }

  static TokenVerifierOptions options(JWK... keys) {
    return new TokenVerifierOptions().setIssuer(ISSUER).setAudience(AUDIENCE).setJwks(publicJwks(keys));
  }

  /** Claims every test token starts from: valid now for five minutes, tenant acme, role developer. */
  static JWTClaimsSet.Builder validClaims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("agent-7")
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)))
        .jwtID(UUID.randomUUID().toString())
        .claim("tenant", "acme")
        .claim("roles", List.of("developer"));
  }

  static String sign(JWK key, JWTClaimsSet claims) {
    return sign(key, algorithmFor(key), key.getKeyID(), claims);
  }

  static String sign(JWK key, JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(signerFor(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JWSAlgorithm algorithmFor(JWK key) {
    if (key instanceof RSAKey) {
      return JWSAlgorithm.RS256;
    }
    if (key instanceof ECKey) {
      return JWSAlgorithm.ES256;
    }
    return JWSAlgorithm.EdDSA;
  }

  static JWSSigner signerFor(JWK key) throws Exception {
    if (key instanceof RSAKey rsa) {
      return new RSASSASigner(rsa);
    }
    if (key instanceof ECKey ec) {
      return new ECDSASigner(ec);
    }
    return new JdkEd25519Signer(Ed25519Keys.toPrivateKey(key.toOctetKeyPair()));
  }
}
