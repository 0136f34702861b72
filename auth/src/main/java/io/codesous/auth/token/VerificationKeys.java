package io.codesous.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import io.vertx.core.json.JsonObject;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads verification keys from configuration (JWK sets, PEM) and picks the ones a token may use. */
final class VerificationKeys {

  private static final Logger LOG = LoggerFactory.getLogger(VerificationKeys.class);

  private static final Pattern PEM_PUBLIC_KEY =
      Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

  private VerificationKeys() {
  }

  /**
   * Every key of a configured JWK set. A key this verifier cannot use is a configuration error, so
   * it fails loudly here instead of making every token signed with it fail later.
   */
  static List<VerificationKey> fromConfiguredJwks(JsonObject jwks) {
    JWKSet set;
    try {
      set = JWKSet.parse(jwks.encode());
    } catch (ParseException e) {
      throw new IllegalArgumentException("jwks is not a JWK set: " + e.getMessage(), e);
    }
    List<VerificationKey> keys = new ArrayList<>();
    for (JWK jwk : set.getKeys()) {
      keys.add(VerificationKey.of(jwk));
    }
    return keys;
  }

  /**
   * The keys of a fetched JWK set that this verifier can use. Others (encryption keys, symmetric
   * keys, other curves) are normal in a shared key set and are skipped.
   */
  static List<VerificationKey> fromFetchedJwks(JWKSet set) {
    List<VerificationKey> keys = new ArrayList<>();
    for (JWK jwk : set.getKeys()) {
      try {
        keys.add(VerificationKey.of(jwk));
      } catch (IllegalArgumentException skipped) {
        LOG.debug("skipping JWKS key: {}", skipped.getMessage());
      }
    }
    return keys;
  }

  /**
   * Every {@code PUBLIC KEY} block (SubjectPublicKeyInfo: RSA, EC P-256 or Ed25519) in a PEM text.
   * The key id of each is its RFC 7638 thumbprint.
   */
  static List<VerificationKey> fromPem(String pem) {
    Matcher matcher = PEM_PUBLIC_KEY.matcher(pem);
    List<VerificationKey> keys = new ArrayList<>();
    while (matcher.find()) {
      byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
      keys.add(VerificationKey.of(withThumbprintKeyId(toJwk(parseSpki(der)))));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no PEM PUBLIC KEY block found");
    }
    return keys;
  }

  /** The keys that may have signed a token with this header, in configuration order. */
  static List<VerificationKey> fitting(List<VerificationKey> keys, JWSHeader header) {
    List<VerificationKey> fitting = new ArrayList<>();
    for (VerificationKey key : keys) {
      if (key.fits(header)) {
        fitting.add(key);
      }
    }
    return fitting;
  }

  private static PublicKey parseSpki(byte[] der) {
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", Ed25519Keys.JCA_NAME)) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(spec);
      } catch (GeneralSecurityException notThisAlgorithm) {
        // try the next one
      }
    }
    throw new IllegalArgumentException("PEM public key is neither RSA, EC nor Ed25519");
  }

  private static JWK toJwk(PublicKey key) {
    try {
      if (key instanceof RSAPublicKey rsa) {
        return new RSAKey.Builder(rsa).build();
      }
      if (key instanceof ECPublicKey ec) {
        Curve curve = Curve.forECParameterSpec(ec.getParams());
        if (curve == null) {
          throw new IllegalArgumentException("PEM EC public key is on an unknown curve");
        }
        return new ECKey.Builder(curve, ec).build();
      }
      return Ed25519Keys.toPublicJwk(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("PEM public key is malformed: " + e.getMessage(), e);
    }
  }

  private static JWK withThumbprintKeyId(JWK jwk) {
    try {
      String kid = jwk.computeThumbprint().toString();
      if (jwk instanceof RSAKey rsa) {
        return new RSAKey.Builder(rsa).keyID(kid).build();
      }
      if (jwk instanceof ECKey ec) {
        return new ECKey.Builder(ec).keyID(kid).build();
      }
      return new OctetKeyPair.Builder(jwk.toOctetKeyPair()).keyID(kid).build();
    } catch (JOSEException e) {
      throw new IllegalArgumentException("cannot compute key thumbprint: " + e.getMessage(), e);
    }
  }
}
