package io.codesous.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Objects;
import java.util.Set;

/** Verifies {@code EdDSA} / {@code Ed25519} JWS signatures with the JDK's Ed25519 (see {@link Ed25519Keys}). */
final class JdkEd25519Verifier implements JWSVerifier {

  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

  private final PublicKey publicKey;
  private final JCAContext jcaContext = new JCAContext();

  JdkEd25519Verifier(PublicKey publicKey) throws JOSEException {
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    if (!Ed25519Keys.JCA_NAME.equalsIgnoreCase(publicKey.getAlgorithm())
        && !"EdDSA".equalsIgnoreCase(publicKey.getAlgorithm())) {
      throw new JOSEException("not an Ed25519 public key: " + publicKey.getAlgorithm());
    }
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
    if (!ALGORITHMS.contains(header.getAlgorithm())) {
      throw new JOSEException("unsupported algorithm " + header.getAlgorithm());
    }
    try {
      Signature verifier = Signature.getInstance(Ed25519Keys.JCA_NAME);
      verifier.initVerify(publicKey);
      verifier.update(signingInput);
      return verifier.verify(signature.decode());
    } catch (SignatureException malformedSignature) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new JOSEException("Ed25519 verification failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return ALGORITHMS;
  }

  @Override
  public JCAContext getJCAContext() {
    return jcaContext;
  }
}
