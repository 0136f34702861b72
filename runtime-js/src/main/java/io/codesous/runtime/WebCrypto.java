package io.codesous.runtime;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Key;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The JDK's providers behind {@code crypto.subtle} (see {@code cs-web.js}). Bytes travel as strings of one char per
 * byte and results as strings, so no host object reaches the guest; a key is re-read from its material on every
 * use, because the guest holds only that material.
 *
 * <p>Failures are answered, never thrown: a host exception would reach the guest as a host object.
 */
final class WebCrypto {

  /** The Web Crypto API's hashes, and MD5 and SHA-224 for node:crypto (the guest checks which may ask for what). */
  private static final Map<String, String> DIGESTS = Map.of("SHA-1", "SHA-1", "SHA-256", "SHA-256",
      "SHA-384", "SHA-384", "SHA-512", "SHA-512", "MD5", "MD5", "SHA-224", "SHA-224");
  static final Map<String, String> MACS = Map.of("SHA-1", "HmacSHA1", "SHA-256", "HmacSHA256",
      "SHA-384", "HmacSHA384", "SHA-512", "HmacSHA512", "MD5", "HmacMD5", "SHA-224", "HmacSHA224");
  static final Map<String, String> CURVES = Map.of("P-256", "secp256r1", "P-384", "secp384r1",
      "P-521", "secp521r1");
  private static final Map<String, Integer> CURVE_BYTES = Map.of("P-256", 32, "P-384", 48, "P-521", 66);

  /** The DER that precedes the 32 bytes of an Ed25519 or X25519 public key in its SubjectPublicKeyInfo. */
  private static final Map<String, byte[]> OKP_SPKI_PREFIX = Map.of(
      "Ed25519", HexFormat.of().parseHex("302a300506032b6570032100"),
      "X25519", HexFormat.of().parseHex("302a300506032b656e032100"));
  /** The DER that precedes the 32 bytes of an Ed25519 or X25519 private key in its PKCS #8 encoding. */
  static final Map<String, byte[]> OKP_PKCS8_PREFIX = Map.of(
      "Ed25519", HexFormat.of().parseHex("302e020100300506032b657004220420"),
      "X25519", HexFormat.of().parseHex("302e020100300506032b656e04220420"));
  static final int OKP_BYTES = 32;

  private WebCrypto() {
  }

  /** ECDSA and ECDH keys are the JDK's EC keys. */
  static boolean isEc(String kind) {
    return "ECDSA".equals(kind) || "ECDH".equals(kind);
  }

  /** Ed25519 and X25519 keys (JWK's octet key pairs) have a JDK algorithm of the same name. */
  static boolean isOkp(String kind) {
    return "Ed25519".equals(kind) || "X25519".equals(kind);
  }

  /** The JDK's key algorithm for a {@code crypto.subtle} one: EC, RSA (all three RSA algorithms), Ed25519, X25519. */
  static String family(String kind) {
    return isEc(kind) ? "EC" : isOkp(kind) ? kind : "RSA";
  }

  /** The size a key reports: an RSA modulus's or an EC curve's bits; 0 for Ed25519 and X25519, whose size is fixed. */
  static int bits(Key key) {
    if (key instanceof RSAKey rsa) {
      return rsa.getModulus().bitLength();
    }
    if (key instanceof ECKey ec) {
      return ec.getParams().getCurve().getField().getFieldSize();
    }
    return 0;
  }

  /** {@code value} as {@code size} big-endian bytes: without the sign byte BigInteger adds, zeros in front. */
  static byte[] unsigned(BigInteger value, int size) {
    byte[] bytes = new byte[size];
    unsigned(value, size, bytes, 0);
    return bytes;
  }

  /** {@link #unsigned(BigInteger, int)} written into {@code into} at {@code offset}. */
  static void unsigned(BigInteger value, int size, byte[] into, int offset) {
    byte[] signed = value.toByteArray();
    int skip = signed.length > size ? signed.length - size : 0;
    int length = signed.length - skip;
    System.arraycopy(signed, skip, into, offset + size - length, length);
  }

  /** An Ed25519 or X25519 key's DER: {@code prefix} then the key's 32 bytes, which must be exactly 32. */
  static byte[] okpEncoding(byte[] prefix, byte[] key) {
    if (key.length != OKP_BYTES) {
      throw new IllegalArgumentException("an Ed25519 or X25519 key has 32 bytes, got " + key.length);
    }
    byte[] encoded = Arrays.copyOf(prefix, prefix.length + OKP_BYTES);
    System.arraycopy(key, 0, encoded, prefix.length, OKP_BYTES);
    return encoded;
  }

  static byte[] bytes(Value latin1) {
    return latin1.asString().getBytes(StandardCharsets.ISO_8859_1);
  }

  static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /**
   * A host function that answers {@code onFailure} for any argument it cannot use, rather than letting a host
   * exception reach the guest. The script passes only strings and numbers it has checked, so this is a backstop.
   */
  static ProxyExecutable answering(String onFailure, ProxyExecutable function) {
    return arguments -> {
      try {
        return function.execute(arguments);
      } catch (RuntimeException e) {
        return onFailure;
      }
    };
  }

  /** digest(hash, data): the hash names are checked by the guest. */
  static final ProxyExecutable DIGEST = answering("", arguments -> {
    try {
      return latin1(MessageDigest.getInstance(DIGESTS.get(arguments[0].asString())).digest(bytes(arguments[1])));
    } catch (GeneralSecurityException | NullPointerException e) {
      return "";
    }
  });

  /** hmac(hash, key, data) -> the MAC. */
  static final ProxyExecutable HMAC = answering("", arguments -> {
    try {
      String algorithm = MACS.get(arguments[0].asString());
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(bytes(arguments[1]), algorithm));
      return latin1(mac.doFinal(bytes(arguments[2])));
    } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
      return "";
    }
  });

  /** importPublicKey(kind, format, a, b, c) -> "ok:&lt;bits&gt;" or why the key is refused. */
  static final ProxyExecutable IMPORT_PUBLIC_KEY = answering("the key data is not a valid public key",
      arguments -> {
    try {
      PublicKey key = publicKey(arguments[0].asString(), arguments[1].asString(), arguments[2], arguments[3],
          arguments[4]);
      return "ok:" + bits(key);
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      return "the key data is not a valid " + arguments[0].asString() + " public key";
    }
  });

  /** verify(kind, hash, saltLength, format, a, b, c, signature, data) -> "true", "false" or why it cannot. */
  static final ProxyExecutable VERIFY = answering("the verification could not run", arguments -> {
    String kind = arguments[0].asString();
    String hash = arguments[1].asString();
    try {
      PublicKey key = publicKey(kind, arguments[3].asString(), arguments[4], arguments[5], arguments[6]);
      Signature verifier = signature(kind, hash, arguments[2].asInt());
      if (verifier == null) {
        return "the algorithm " + kind + " is not supported";
      }
      verifier.initVerify(key);
      verifier.update(bytes(arguments[8]));
      try {
        return Boolean.toString(verifier.verify(bytes(arguments[7])));
      } catch (java.security.SignatureException malformed) {
        // A signature of the wrong length or encoding does not verify; the standard answers false.
        return "false";
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return "the " + kind + " verification could not run: " + e.getMessage();
    }
  });

  /**
   * The JDK's signature for a {@code crypto.subtle} algorithm and hash (ECDSA signatures in the P1363 form the
   * standard uses, not DER), or {@code null} for an algorithm it does not know.
   */
  static Signature signature(String kind, String hash, int saltLength) throws GeneralSecurityException {
    String plain = hash.replace("-", "");
    switch (kind) {
      case "ECDSA" -> {
        return Signature.getInstance(plain + "withECDSAinP1363Format");
      }
      case "RSASSA-PKCS1-v1_5" -> {
        return Signature.getInstance(plain + "withRSA");
      }
      case "Ed25519" -> {
        return Signature.getInstance("Ed25519");
      }
      case "RSA-PSS" -> {
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), saltLength,
            PSSParameterSpec.TRAILER_FIELD_BC));
        return pss;
      }
      default -> {
        return null;
      }
    }
  }

  /** A public key from the material the guest holds, the list {@code [format, a, b, c]} of the method below. */
  static PublicKey publicKey(String kind, Value material) throws GeneralSecurityException {
    if (!material.hasArrayElements() || material.getArraySize() != 4) {
      throw new IllegalArgumentException("material");
    }
    return publicKey(kind, material.getArrayElement(0).asString(), material.getArrayElement(1),
        material.getArrayElement(2), material.getArrayElement(3));
  }

  /**
   * A public key from its material: {@code spki} (a = DER), {@code raw} (EC: a = the uncompressed point, b = the
   * curve; Ed25519 and X25519: a = the key's 32 bytes), {@code jwk} (EC: a = curve, b = x, c = y; RSA: b = n, c = e;
   * Ed25519 and X25519: a = crv, b = x).
   */
  static PublicKey publicKey(String kind, String format, Value a, Value b, Value c)
      throws GeneralSecurityException {
    boolean ec = isEc(kind);
    KeyFactory factory = KeyFactory.getInstance(family(kind));
    if (isOkp(kind)) {
      byte[] key = switch (format) {
        case "spki" -> bytes(a);
        case "raw" -> okpEncoding(OKP_SPKI_PREFIX.get(kind), bytes(a));
        case "jwk" -> {
          if (!kind.equals(a.asString())) {
            throw new IllegalArgumentException("crv");
          }
          yield okpEncoding(OKP_SPKI_PREFIX.get(kind), bytes(b));
        }
        default -> throw new IllegalArgumentException(format);
      };
      return factory.generatePublic(new X509EncodedKeySpec(key));
    }
    switch (format) {
      case "spki" -> {
        PublicKey key = factory.generatePublic(new X509EncodedKeySpec(bytes(a)));
        if (ec) {
          ECPublicKey ecKey = (ECPublicKey) key;
          checkOnCurve(ecKey.getW(), ecKey.getParams());
          if (b.isString() && CURVES.containsKey(b.asString())) {
            checkCurve(ecKey, b.asString());
          }
        }
        return key;
      }
      case "raw" -> {
        if (!ec) {
          throw new IllegalArgumentException("raw");
        }
        String curve = b.asString();
        byte[] point = bytes(a);
        int size = size(curve);
        if (point.length != 1 + 2 * size || point[0] != 4) {
          throw new IllegalArgumentException("point");
        }
        return ecKey(factory, curve, Arrays.copyOfRange(point, 1, 1 + size), Arrays.copyOfRange(point, 1 + size,
            point.length));
      }
      case "jwk" -> {
        if (ec) {
          String curve = a.asString();
          return ecKey(factory, curve, bytes(b), bytes(c));
        }
        return factory.generatePublic(new RSAPublicKeySpec(new BigInteger(1, bytes(b)), new BigInteger(1, bytes(c))));
      }
      default -> throw new IllegalArgumentException(format);
    }
  }

  static int size(String curve) {
    Integer size = CURVE_BYTES.get(curve);
    if (size == null) {
      throw new IllegalArgumentException(curve);
    }
    return size;
  }

  static PublicKey ecKey(KeyFactory factory, String curve, byte[] x, byte[] y)
      throws GeneralSecurityException {
    int size = size(curve);
    if (x.length != size || y.length != size) {
      throw new IllegalArgumentException("coordinates");
    }
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec(CURVES.get(curve)));
    ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
    ECPoint point = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
    checkOnCurve(point, spec);
    return factory.generatePublic(new ECPublicKeySpec(point, spec));
  }

  /** The JDK builds a key from any point; one off the curve must be refused (invalid-curve attacks). */
  static void checkOnCurve(ECPoint point, ECParameterSpec spec) {
    BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
    BigInteger x = point.getAffineX();
    BigInteger y = point.getAffineY();
    BigInteger left = y.multiply(y).mod(p);
    BigInteger right = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0 || !left.equals(right)) {
      throw new IllegalArgumentException("the point is not on the curve");
    }
  }

  private static void checkCurve(ECPublicKey key, String curve) {
    if (key.getParams().getCurve().getField().getFieldSize() != (curve.equals("P-521") ? 521
        : size(curve) * 8)) {
      throw new IllegalArgumentException("the key is not on " + curve.toLowerCase(Locale.ROOT));
    }
  }
}
