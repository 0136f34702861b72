package io.codesous.auth.token;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Set;

/**
 * One public key a token may be signed with, in JWK form (for matching) and as a JDK key (for
 * verifying), converted once when the key is loaded rather than per token.
 *
 * <p>Only three kinds of key exist here: RSA (for {@code RS256}), EC P-256 (for {@code ES256}) and
 * Ed25519 (for {@code EdDSA}). A key fits a token only through its own type, so a symmetric secret
 * can never be in play: HMAC algorithms are refused before any key is looked at, and {@code oct}
 * keys are never loaded.
 */
record VerificationKey(JWK jwk, PublicKey publicKey) {

  /** The JWS algorithms tokens may use. Everything else, {@code none} and HMAC included, is refused. */
  static final Set<JWSAlgorithm> ACCEPTED_ALGORITHMS =
      Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

  /** Shorter RSA moduli are breakable in practice; such keys are not loaded. */
  static final int MIN_RSA_BITS = 2048;

  VerificationKey {
    Objects.requireNonNull(jwk, "jwk");
    Objects.requireNonNull(publicKey, "publicKey");
  }

  /**
   * Converts a JWK (private members are dropped) into a verification key.
   *
   * @throws IllegalArgumentException when the key is of a type or size this verifier does not use
   */
  static VerificationKey of(JWK anyJwk) {
    JWK jwk = anyJwk.toPublicJWK();
    if (jwk == null) {
      // symmetric (oct) keys have no public half: a shared secret never verifies a token here
      throw new IllegalArgumentException("key " + anyJwk.getKeyID() + " is symmetric");
    }
    if (jwk.getKeyRevocation() != null) {
      throw new IllegalArgumentException("key " + jwk.getKeyID() + " is revoked");
    }
    if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
      throw new IllegalArgumentException("key " + jwk.getKeyID() + " is not for signatures");
    }
    try {
      if (jwk instanceof RSAKey rsa) {
        if (rsa.size() < MIN_RSA_BITS) {
          throw new IllegalArgumentException("RSA key " + jwk.getKeyID() + " has fewer than " + MIN_RSA_BITS + " bits");
        }
        return new VerificationKey(rsa, rsa.toRSAPublicKey());
      }
      if (jwk instanceof ECKey ec) {
        if (!Curve.P_256.equals(ec.getCurve())) {
          throw new IllegalArgumentException("EC key " + jwk.getKeyID() + " is not on P-256");
        }
        return new VerificationKey(ec, ec.toECPublicKey());
      }
      if (jwk instanceof OctetKeyPair okp && Ed25519Keys.isEd25519(okp)) {
        return new VerificationKey(okp, Ed25519Keys.toPublicKey(okp));
      }
    } catch (JOSEException | GeneralSecurityException e) {
      throw new IllegalArgumentException("key " + jwk.getKeyID() + " is malformed: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("key " + jwk.getKeyID() + " has an unsupported type " + jwk.getKeyType());
  }

  String keyId() {
    return jwk.getKeyID();
  }

  /**
   * Whether a token with this header may be checked against this key: the key's type fits the
   * algorithm, the key does not pin another algorithm, and the key ids agree (a header without
   * {@code kid} is tried against every key of the right type).
   */
  boolean fits(JWSHeader header) {
    JWSAlgorithm alg = header.getAlgorithm();
    if (!typeFits(alg) || !algorithmFits(jwk.getAlgorithm(), alg)) {
      return false;
    }
    return header.getKeyID() == null || header.getKeyID().equals(jwk.getKeyID());
  }

  private boolean typeFits(JWSAlgorithm alg) {
    if (JWSAlgorithm.RS256.equals(alg)) {
      return jwk instanceof RSAKey;
    }
    if (JWSAlgorithm.ES256.equals(alg)) {
      return jwk instanceof ECKey;
    }
    if (isEdDsa(alg)) {
      return jwk instanceof OctetKeyPair;
    }
    return false;
  }

  private static boolean algorithmFits(Algorithm pinned, JWSAlgorithm alg) {
    if (pinned == null) {
      return true;
    }
    // "EdDSA" and the fully specified "Ed25519" (RFC 9864) name the same thing for an Ed25519 key
    if (isEdDsa(alg)) {
      return JWSAlgorithm.EdDSA.getName().equals(pinned.getName())
          || JWSAlgorithm.Ed25519.getName().equals(pinned.getName());
    }
    return alg.getName().equals(pinned.getName());
  }

  static boolean isEdDsa(JWSAlgorithm alg) {
    return JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg);
  }
}
