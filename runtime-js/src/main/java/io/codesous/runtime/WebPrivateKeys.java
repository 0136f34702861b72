package io.codesous.runtime;

import static io.codesous.runtime.WebCrypto.answering;
import static io.codesous.runtime.WebCrypto.latin1;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * Private keys behind {@code crypto.subtle.importKey} and {@code sign} (see {@code web-crypto.js}) for ECDSA,
 * RSASSA-PKCS1-v1_5, RSA-PSS and Ed25519, and those that {@link WebKeyPairs} decrypts and agrees with (RSA-OAEP, ECDH,
 * X25519): the guest holds a key's material only, a list of strings of one char per byte, and the key is read from it
 * again on every use, as public keys are ({@link WebCrypto}). Material is {@code ["pkcs8", der]}, {@code ["jwk", crv,
 * d]} for EC, Ed25519 and X25519, or {@code ["jwk", n, e, d, p, q, dp, dq, qi]} for RSA (the last five empty when the
 * JWK has no CRT members). Answers are strings; no host exception reaches the guest.
 */
final class WebPrivateKeys {

  private WebPrivateKeys() {
  }

  /** importPrivateKey(kind, material) -> "ok:&lt;bits&gt;" (the modulus's or the curve's) or why it is refused. */
  static final ProxyExecutable IMPORT_PRIVATE_KEY = answering("the key data is not a valid private key",
      arguments -> {
    String kind = arguments[0].asString();
    try {
      return "ok:" + WebCrypto.bits(privateKey(kind, arguments[1]));
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      return "the key data is not a valid " + kind + " private key";
    }
  });

  /** sign(kind, hash, saltLength, material, data) -> "+" and the signature, or "-" and why there is none. */
  static final ProxyExecutable SIGN = answering("-the signature could not be made", arguments -> {
    String kind = arguments[0].asString();
    try {
      Signature signer = WebCrypto.signature(kind, arguments[1].asString(), arguments[2].asInt());
      if (signer == null) {
        return "-the algorithm " + kind + " is not supported";
      }
      signer.initSign(privateKey(kind, arguments[3]));
      signer.update(WebCrypto.bytes(arguments[4]));
      return "+" + latin1(signer.sign());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return "-the " + kind + " signature could not be made: " + e.getMessage();
    }
  });

  /**
   * A private key from its material. A generated key's material also holds its public key's SPKI, {@code ["pkcs8",
   * der, "", spki]}, which only an export reads.
   */
  static PrivateKey privateKey(String kind, Value material) throws GeneralSecurityException {
    boolean ec = WebCrypto.isEc(kind);
    String format = member(material, 0);
    if (WebCrypto.isOkp(kind)) {
      byte[] der = switch (format) {
        case "pkcs8" -> bytes(material, 1);
        case "jwk" -> {
          if (!kind.equals(member(material, 1))) {
            throw new IllegalArgumentException("crv");
          }
          yield WebCrypto.okpEncoding(WebCrypto.OKP_PKCS8_PREFIX.get(kind), bytes(material, 2));
        }
        default -> throw new IllegalArgumentException("format " + format);
      };
      return KeyFactory.getInstance(kind).generatePrivate(new PKCS8EncodedKeySpec(der));
    }
    if ("pkcs8".equals(format)) {
      PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(bytes(material, 1));
      if (ec) {
        return KeyFactory.getInstance("EC").generatePrivate(spec);
      }
      try {
        return KeyFactory.getInstance("RSA").generatePrivate(spec);
      } catch (GeneralSecurityException notRsaEncryption) {
        // a key encoded with the RSASSA-PSS algorithm identifier rather than rsaEncryption
        return KeyFactory.getInstance("RSASSA-PSS").generatePrivate(spec);
      }
    }
    if (!"jwk".equals(format)) {
      throw new IllegalArgumentException("format " + format);
    }
    if (ec) {
      String curve = member(material, 1);
      byte[] d = bytes(material, 2);
      if (d.length != WebCrypto.size(curve)) {
        throw new IllegalArgumentException("d");
      }
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(WebCrypto.CURVES.get(curve)));
      ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
      BigInteger secret = new BigInteger(1, d);
      if (secret.signum() == 0 || secret.compareTo(spec.getOrder()) >= 0) {
        throw new IllegalArgumentException("d is not below the curve's order");
      }
      return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(secret, spec));
    }
    BigInteger n = integer(material, 1);
    BigInteger e = integer(material, 2);
    BigInteger d = integer(material, 3);
    KeyFactory rsa = KeyFactory.getInstance("RSA");
    if (member(material, 4).isEmpty()) {
      return rsa.generatePrivate(new RSAPrivateKeySpec(n, d));
    }
    return rsa.generatePrivate(new RSAPrivateCrtKeySpec(n, e, d, integer(material, 4), integer(material, 5),
        integer(material, 6), integer(material, 7), integer(material, 8)));
  }

  static String member(Value material, int index) {
    if (!material.hasArrayElements() || index >= material.getArraySize()) {
      throw new IllegalArgumentException("material");
    }
    return material.getArrayElement(index).asString();
  }

  static byte[] bytes(Value material, int index) {
    return member(material, index).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static BigInteger integer(Value material, int index) {
    byte[] bytes = bytes(material, index);
    if (bytes.length == 0) {
      throw new IllegalArgumentException("an empty integer");
    }
    return new BigInteger(1, bytes);
  }
}
