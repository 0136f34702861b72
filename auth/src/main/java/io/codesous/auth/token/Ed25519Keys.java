package io.codesous.auth.token;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Moves Ed25519 keys between JWK form ({@link OctetKeyPair}) and the JDK's own key classes.
 *
 * <p>The JOSE library can only sign and verify Ed25519 through Google Tink, an optional dependency
 * this module does not take; the JDK has done Ed25519 itself since Java 15. The two forms differ
 * only in wrapping: a JWK carries the raw 32-byte public key ({@code x}) and seed ({@code d}), the
 * JDK takes them inside the fixed DER headers of RFC 8410 (SubjectPublicKeyInfo and PKCS#8).
 */
final class Ed25519Keys {

  static final String JCA_NAME = "Ed25519";
  private static final int RAW_KEY_LENGTH = 32;

  /** SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (33 bytes: 0 unused bits + key) } */
  private static final byte[] SPKI_PREFIX = {
      0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
  /** SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32 bytes) } } */
  private static final byte[] PKCS8_PREFIX = {
      0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};

  private Ed25519Keys() {
  }

  static boolean isEd25519(OctetKeyPair jwk) {
    return Curve.Ed25519.equals(jwk.getCurve());
  }

  static PublicKey toPublicKey(OctetKeyPair jwk) throws GeneralSecurityException {
    requireEd25519(jwk);
    byte[] x = jwk.getX().decode();
    requireRawLength(x);
    return KeyFactory.getInstance(JCA_NAME).generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, x)));
  }

  static PrivateKey toPrivateKey(OctetKeyPair jwk) throws GeneralSecurityException {
    requireEd25519(jwk);
    if (jwk.getD() == null) {
      throw new GeneralSecurityException("the JWK holds no private key");
    }
    byte[] d = jwk.getD().decode();
    try {
      requireRawLength(d);
      return KeyFactory.getInstance(JCA_NAME).generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, d)));
    } finally {
      Arrays.fill(d, (byte) 0);
    }
  }

  /** The raw 32-byte public key out of a JDK Ed25519 public key. */
  static byte[] rawPublicKey(PublicKey key) throws GeneralSecurityException {
    byte[] encoded = key.getEncoded();
    if (encoded == null
        || encoded.length != SPKI_PREFIX.length + RAW_KEY_LENGTH
        || !Arrays.equals(encoded, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new GeneralSecurityException("not an Ed25519 public key");
    }
    return Arrays.copyOfRange(encoded, SPKI_PREFIX.length, encoded.length);
  }

  /** A public JWK for a JDK Ed25519 public key. */
  static OctetKeyPair toPublicJwk(PublicKey key) throws GeneralSecurityException {
    return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(rawPublicKey(key))).build();
  }

  /** A private JWK (with {@code d}) for a JDK Ed25519 key pair. */
  static OctetKeyPair toPrivateJwk(KeyPair pair) throws GeneralSecurityException {
    if (!(pair.getPrivate() instanceof EdECPrivateKey privateKey)) {
      throw new GeneralSecurityException("not an Ed25519 private key");
    }
    byte[] seed = privateKey.getBytes().orElseThrow(() -> new GeneralSecurityException("private key not extractable"));
    try {
      return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(rawPublicKey(pair.getPublic())))
          .d(Base64URL.encode(seed))
          .build();
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  private static void requireEd25519(OctetKeyPair jwk) throws GeneralSecurityException {
    if (!isEd25519(jwk)) {
      throw new GeneralSecurityException("not an Ed25519 key: " + jwk.getCurve());
    }
  }

  private static void requireRawLength(byte[] raw) throws GeneralSecurityException {
    if (raw.length != RAW_KEY_LENGTH) {
      throw new GeneralSecurityException("an Ed25519 key has 32 bytes, not " + raw.length);
    }
  }

  private static byte[] concat(byte[] prefix, byte[] raw) {
    byte[] out = Arrays.copyOf(prefix, prefix.length + raw.length);
    System.arraycopy(raw, 0, out, prefix.length, raw.length);
    return out;
  }
}
