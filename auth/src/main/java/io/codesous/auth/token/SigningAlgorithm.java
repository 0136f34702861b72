package io.codesous.auth.token;

import com.nimbusds.jose.JWSAlgorithm;

/** The key types {@link LocalSigningKey} can create. Both are small, fast and need only the JDK. */
public enum SigningAlgorithm {
  /** ECDSA on P-256 with SHA-256: the most widely understood choice. */
  ES256(JWSAlgorithm.ES256),
  /** Ed25519: deterministic signatures, no nonce to get wrong. Tokens carry {@code "alg":"EdDSA"}. */
  ED25519(JWSAlgorithm.EdDSA);

  private final JWSAlgorithm jwsAlgorithm;

  SigningAlgorithm(JWSAlgorithm jwsAlgorithm) {
    this.jwsAlgorithm = jwsAlgorithm;
  }

  JWSAlgorithm jwsAlgorithm() {
    return jwsAlgorithm;
  }
}
