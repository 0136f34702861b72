package io.codesous.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Objects;
import java.util.Set;

/** Signs {@code EdDSA} / {@code Ed25519} JWS with the JDK's Ed25519 (see {@link Ed25519Keys}). */
final class JdkEd25519Signer implements JWSSigner {

  private final PrivateKey privateKey;
  private final JCAContext jcaContext = new JCAContext();

  JdkEd25519Signer(PrivateKey privateKey) {
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
  }

  @Override
  public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
    if (!JdkEd25519Verifier.ALGORITHMS.contains(header.getAlgorithm())) {
      throw new JOSEException("unsupported algorithm " + header.getAlgorithm());
    }
    try {
      Signature signer = Signature.getInstance(Ed25519Keys.JCA_NAME);
      signer.initSign(privateKey);
      signer.update(signingInput);
      return Base64URL.encode(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new JOSEException("Ed25519 signing failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return JdkEd25519Verifier.ALGORITHMS;
  }

  @Override
  public JCAContext getJCAContext() {
    return jcaContext;
  }
}
