package io.codesous.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;

import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Set;

/**
 * Builds a signature verifier for exactly the accepted algorithms, each bound to the one key type
 * it is defined for. There is deliberately no HMAC branch: whatever a token's header claims, a
 * public key is never used as a shared secret (the algorithm-confusion attack).
 */
final class AcceptedAlgorithmsVerifierFactory implements JWSVerifierFactory {

  private final JCAContext jcaContext = new JCAContext();

  @Override
  public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
    JWSAlgorithm alg = header.getAlgorithm();
    if (JWSAlgorithm.RS256.equals(alg) && key instanceof RSAPublicKey rsa) {
      return new RSASSAVerifier(rsa);
    }
    if (JWSAlgorithm.ES256.equals(alg) && key instanceof ECPublicKey ec) {
      return new ECDSAVerifier(ec);
    }
    if (VerificationKey.isEdDsa(alg) && key instanceof PublicKey publicKey) {
      return new JdkEd25519Verifier(publicKey);
    }
    throw new JOSEException("no verifier for " + alg + " with a " + (key == null ? "missing" : key.getAlgorithm()) + " key");
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return VerificationKey.ACCEPTED_ALGORITHMS;
  }

  @Override
  public JCAContext getJCAContext() {
    return jcaContext;
  }
}
