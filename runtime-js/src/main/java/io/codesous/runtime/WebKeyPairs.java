package io.codesous.runtime;

import static io.codesous.runtime.WebCrypto.answering;
import static io.codesous.runtime.WebCrypto.latin1;
import static io.codesous.runtime.WebCrypto.unsigned;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.StringJoiner;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * Key pairs behind {@code crypto.subtle} (see {@code web-crypto.js}): generating them (ECDSA, ECDH, the three RSA
 * algorithms, Ed25519, X25519), exporting public and private keys, ECDH and X25519 agreement, RSA-OAEP. Keys come and
 * go as the material of {@link WebCrypto} and {@link WebPrivateKeys}; answers are {@code "+"} and a result or {@code "-"}
 * and why there is none, so no host exception or object reaches the guest.
 */
final class WebKeyPairs {

  /**
   * The largest RSA modulus generated. A host call runs to its end whatever the deadline, so this bounds how far a
   * generation can overrun it: on a 2-core machine with JDK 17, eight 4,096-bit pairs took 1.3 s on average and
   * 2.4 s at worst (2,048 bits: 0.18 s and 0.34 s), and the cost grows with about the cube of the size. Browsers go
   * to 16,384 bits; 4,096 is the largest size in common use.
   */
  static final int MAX_RSA_BITS = 4096;
  static final int MIN_RSA_BITS = 1024;

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private WebKeyPairs() {
  }

  /**
   * generateKeyPair(kind, parameter) -> "+" the SPKI's length ":" the SPKI then the PKCS #8, or "-" why. The parameter
   * is the curve of an EC key, the modulus's bits of an RSA key (public exponent 65537), ignored otherwise.
   */
  static final ProxyExecutable GENERATE_KEY_PAIR = answering("-the key pair could not be generated", arguments -> {
    String kind = arguments[0].asString();
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(WebCrypto.family(kind));
      if (WebCrypto.isEc(kind)) {
        String curve = WebCrypto.CURVES.get(arguments[1].asString());
        if (curve == null) {
          return "-the curve " + arguments[1].asString() + " is not supported";
        }
        generator.initialize(new ECGenParameterSpec(curve));
      } else if (!WebCrypto.isOkp(kind)) {
        int bits = Integer.parseInt(arguments[1].asString());
        if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
          return "-the modulus length " + bits + " is not supported";
        }
        generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4));
      }
      KeyPair pair = generator.generateKeyPair();
      byte[] spki = pair.getPublic().getEncoded();
      return "+" + spki.length + ":" + latin1(spki) + latin1(pair.getPrivate().getEncoded());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return "-a " + kind + " key pair could not be generated: " + e.getMessage();
    }
  });

  /**
   * exportKey(kind, type, format, material) -> "+" and the key's bytes ({@code spki}, {@code pkcs8}, {@code raw}) or
   * its JWK members as {@code name=base64url} joined by commas ({@code jwk}), or "-" why. The guest has checked that
   * the format fits the key's type.
   */
  static final ProxyExecutable EXPORT_KEY = answering("-the key could not be exported", arguments -> {
    String kind = arguments[0].asString();
    String format = arguments[2].asString();
    Value material = arguments[3];
    try {
      if ("public".equals(arguments[1].asString())) {
        PublicKey key = WebCrypto.publicKey(kind, material);
        return switch (format) {
          case "spki" -> "+" + latin1(key.getEncoded());
          case "raw" -> "+" + latin1(rawPublic(kind, key));
          case "jwk" -> "+" + publicJwk(kind, key);
          default -> "-exporting a public key as " + format + " is not supported";
        };
      }
      PrivateKey key = WebPrivateKeys.privateKey(kind, material);
      return switch (format) {
        case "pkcs8" -> "+" + latin1(key.getEncoded());
        case "jwk" -> "+" + privateJwk(kind, key, material);
        default -> "-exporting a private key as " + format + " is not supported";
      };
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      return "-the " + kind + " key could not be exported: " + e.getMessage();
    }
  });

  /** agree(kind, privateMaterial, publicMaterial) -> "+" the whole shared secret, or "-" why (ECDH and X25519). */
  static final ProxyExecutable AGREE = answering("-the shared secret could not be computed", arguments -> {
    String kind = arguments[0].asString();
    try {
      PrivateKey mine = WebPrivateKeys.privateKey(kind, arguments[1]);
      PublicKey theirs = WebCrypto.publicKey(kind, arguments[2]);
      if (WebCrypto.bits(mine) != WebCrypto.bits(theirs)) {
        return "-the public key is on another curve than the private key";
      }
      KeyAgreement agreement = KeyAgreement.getInstance(WebCrypto.isEc(kind) ? "ECDH" : kind);
      agreement.init(mine);
      agreement.doPhase(theirs, true);
      return "+" + latin1(agreement.generateSecret());
    } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
      return "-the " + kind + " shared secret could not be computed: " + e.getMessage();
    }
  });

  /**
   * oaep(encrypt, hash, label, material, data) -> "+" the ciphertext or plaintext, or "-" why: RSA-OAEP with MGF1 over
   * the same hash, encrypting with a public key's material and decrypting with a private key's.
   */
  static final ProxyExecutable OAEP = answering("-the RSA-OAEP operation failed", arguments -> {
    boolean encrypt = arguments[0].asBoolean();
    String hash = arguments[1].asString();
    try {
      Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
      OAEPParameterSpec parameters = new OAEPParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash),
          new PSource.PSpecified(WebCrypto.bytes(arguments[2])));
      if (encrypt) {
        cipher.init(Cipher.ENCRYPT_MODE, WebCrypto.publicKey("RSA-OAEP", arguments[3]), parameters);
      } else {
        cipher.init(Cipher.DECRYPT_MODE, WebPrivateKeys.privateKey("RSA-OAEP", arguments[3]), parameters);
      }
      return "+" + latin1(cipher.doFinal(WebCrypto.bytes(arguments[4])));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // a decryption that does not check says no more than that, as the standard's OperationError does
      return encrypt ? "-RSA-OAEP could not encrypt: " + e.getMessage() : "-RSA-OAEP could not decrypt the data";
    }
  });

  private static byte[] rawPublic(String kind, PublicKey key) {
    if (WebCrypto.isOkp(kind)) {
      byte[] spki = key.getEncoded();
      return Arrays.copyOfRange(spki, spki.length - WebCrypto.OKP_BYTES, spki.length);
    }
    if (!WebCrypto.isEc(kind)) {
      throw new IllegalArgumentException("an " + kind + " key has no raw format");
    }
    ECPublicKey ec = (ECPublicKey) key;
    int size = sizeOf(ec.getParams());
    byte[] point = new byte[1 + 2 * size];
    point[0] = 4;
    unsigned(ec.getW().getAffineX(), size, point, 1);
    unsigned(ec.getW().getAffineY(), size, point, 1 + size);
    return point;
  }

  private static String publicJwk(String kind, PublicKey key) {
    StringJoiner jwk = new StringJoiner(",");
    if (WebCrypto.isOkp(kind)) {
      return jwk.add("kty=OKP").add("crv=" + kind).add(member("x", rawPublic(kind, key))).toString();
    }
    if (WebCrypto.isEc(kind)) {
      ECPublicKey ec = (ECPublicKey) key;
      return ecJwk(jwk, ec.getParams(), ec.getW()).toString();
    }
    RSAPublicKey rsa = (RSAPublicKey) key;
    return jwk.add("kty=RSA").add(member("n", rsa.getModulus())).add(member("e", rsa.getPublicExponent())).toString();
  }

  private static String privateJwk(String kind, PrivateKey key, Value material) throws GeneralSecurityException {
    StringJoiner jwk = new StringJoiner(",");
    if (WebCrypto.isOkp(kind)) {
      byte[] d = key instanceof EdECPrivateKey ed ? ed.getBytes().orElseThrow()
          : ((XECPrivateKey) key).getScalar().orElseThrow();
      return jwk.add("kty=OKP").add("crv=" + kind).add(member("x", rawPublic(kind, okpPublic(kind, d))))
          .add(member("d", d)).toString();
    }
    if (WebCrypto.isEc(kind)) {
      ECPrivateKey ec = (ECPrivateKey) key;
      ECParameterSpec spec = ec.getParams();
      ecJwk(jwk, spec, ecPublicPoint(material, ec));
      return jwk.add(member("d", unsigned(ec.getS(), sizeOf(spec)))).toString();
    }
    jwk.add("kty=RSA");
    if (key instanceof RSAPrivateCrtKey crt) {
      return jwk.add(member("n", crt.getModulus())).add(member("e", crt.getPublicExponent()))
          .add(member("d", crt.getPrivateExponent())).add(member("p", crt.getPrimeP()))
          .add(member("q", crt.getPrimeQ())).add(member("dp", crt.getPrimeExponentP()))
          .add(member("dq", crt.getPrimeExponentQ())).add(member("qi", crt.getCrtCoefficient())).toString();
    }
    // a JWK imported without its CRT members: its e is in the material
    RSAPrivateKey rsa = (RSAPrivateKey) key;
    return jwk.add(member("n", rsa.getModulus())).add(member("e", WebPrivateKeys.bytes(material, 2)))
        .add(member("d", rsa.getPrivateExponent())).toString();
  }

  private static StringJoiner ecJwk(StringJoiner jwk, ECParameterSpec spec, ECPoint point) {
    int size = sizeOf(spec);
    String curve = size == 32 ? "P-256" : size == 48 ? "P-384" : "P-521";
    return jwk.add("kty=EC").add("crv=" + curve).add(member("x", unsigned(point.getAffineX(), size)))
        .add(member("y", unsigned(point.getAffineY(), size)));
  }

  /**
   * The public point of an EC private key: from the SPKI the guest keeps beside a generated key, else computed from
   * the private scalar (the JDK has no public call for it), so a JWK's own x and y are never trusted to match d.
   */
  private static ECPoint ecPublicPoint(Value material, ECPrivateKey key) throws GeneralSecurityException {
    if ("pkcs8".equals(WebPrivateKeys.member(material, 0)) && material.getArraySize() > 3
        && !WebPrivateKeys.member(material, 3).isEmpty()) {
      PublicKey spki = KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(WebPrivateKeys.bytes(material, 3)));
      return ((ECPublicKey) spki).getW();
    }
    return multiply(key.getS(), key.getParams());
  }

  /** s·G on a short Weierstrass curve over a prime field, in affine coordinates (export only: not constant time). */
  static ECPoint multiply(BigInteger s, ECParameterSpec spec) {
    BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
    BigInteger a = spec.getCurve().getA();
    ECPoint result = ECPoint.POINT_INFINITY;
    ECPoint addend = spec.getGenerator();
    for (int i = 0; i < s.bitLength(); i++) {
      if (s.testBit(i)) {
        result = add(result, addend, p, a);
      }
      addend = add(addend, addend, p, a);
    }
    return result;
  }

  private static ECPoint add(ECPoint one, ECPoint two, BigInteger p, BigInteger a) {
    if (one.equals(ECPoint.POINT_INFINITY)) {
      return two;
    }
    if (two.equals(ECPoint.POINT_INFINITY)) {
      return one;
    }
    BigInteger x1 = one.getAffineX();
    BigInteger y1 = one.getAffineY();
    BigInteger x2 = two.getAffineX();
    BigInteger y2 = two.getAffineY();
    BigInteger slope;
    if (x1.equals(x2)) {
      if (!y1.equals(y2) || y1.signum() == 0) {
        return ECPoint.POINT_INFINITY;
      }
      slope = x1.pow(2).multiply(BigInteger.valueOf(3)).add(a).multiply(y1.shiftLeft(1).modInverse(p)).mod(p);
    } else {
      slope = y2.subtract(y1).multiply(x2.subtract(x1).modInverse(p)).mod(p);
    }
    BigInteger x3 = slope.pow(2).subtract(x1).subtract(x2).mod(p);
    BigInteger y3 = slope.multiply(x1.subtract(x3)).subtract(y1).mod(p);
    return new ECPoint(x3, y3);
  }

  /**
   * The public key of an Ed25519 or X25519 private key: the JDK's generators derive the pair from the random bytes
   * they draw, so one that draws exactly {@code d} builds this key's pair.
   */
  private static PublicKey okpPublic(String kind, byte[] d) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(kind);
    generator.initialize(WebCrypto.OKP_BYTES * 8 - 1, new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        if (bytes.length != d.length) {
          throw new IllegalStateException("the generator drew " + bytes.length + " bytes");
        }
        System.arraycopy(d, 0, bytes, 0, d.length);
      }
    });
    return generator.generateKeyPair().getPublic();
  }

  private static int sizeOf(ECParameterSpec spec) {
    return (spec.getCurve().getField().getFieldSize() + 7) / 8;
  }

  private static String member(String name, BigInteger value) {
    return member(name, unsigned(value, (value.bitLength() + 7) / 8));
  }

  private static String member(String name, byte[] value) {
    return name + "=" + BASE64URL.encodeToString(value);
  }

}
