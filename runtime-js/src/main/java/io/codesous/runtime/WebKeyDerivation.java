package io.codesous.runtime;

import static io.codesous.runtime.WebCrypto.answering;
import static io.codesous.runtime.WebCrypto.bytes;
import static io.codesous.runtime.WebCrypto.latin1;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * PBKDF2 (RFC 8018) and HKDF (RFC 5869) behind {@code crypto.subtle.deriveBits} and {@code deriveKey}, both over the
 * JDK's HMAC. Written out here rather than taken from the JDK's {@code PBKDF2WithHmacSHA256}, which takes the
 * password as chars and encodes them as UTF-8: a password of arbitrary bytes, as the standard allows, would be
 * derived from other bytes. Answers {@code "+"} and the bits or {@code "-"} and why.
 *
 * <p>The work is bounded, since a host call cannot be interrupted by the activation's deadline: PBKDF2 at most
 * {@link #MAX_ITERATIONS} iterations (the bound Cloudflare Workers sets too), HKDF at most 255 blocks of the hash
 * (the RFC's own bound).
 */
final class WebKeyDerivation {

  /** PBKDF2 iterations at most: about 30 ms with SHA-256 on this runtime's hardware, per derivation. */
  static final int MAX_ITERATIONS = 100_000;

  private WebKeyDerivation() {
  }

  /** deriveBits(kind, hash, secret, salt, info, iterations, bits): kind PBKDF2 (info unused) or HKDF (iterations). */
  static final ProxyExecutable DERIVE_BITS = answering("-the derivation could not run", arguments -> {
    String kind = arguments[0].asString();
    String hash = arguments[1].asString();
    String algorithm = WebCrypto.MACS.get(hash);
    if (algorithm == null) {
      return "-the hash " + hash + " is not supported";
    }
    int bits = arguments[6].asInt();
    if (bits <= 0 || bits % 8 != 0) {
      return "-the length must be a positive multiple of 8, not " + bits;
    }
    try {
      byte[] secret = bytes(arguments[2]);
      byte[] salt = bytes(arguments[3]);
      return switch (kind) {
        case "PBKDF2" -> {
          int iterations = arguments[5].asInt();
          if (iterations <= 0) {
            yield "-the iterations must be positive, not " + iterations;
          }
          if (iterations > MAX_ITERATIONS) {
            yield "-more than " + MAX_ITERATIONS + " PBKDF2 iterations are not supported";
          }
          yield "+" + latin1(pbkdf2(algorithm, secret, salt, iterations, bits / 8));
        }
        case "HKDF" -> {
          Mac mac = Mac.getInstance(algorithm);
          if (bits / 8 > 255 * mac.getMacLength()) {
            yield "-HKDF with " + hash + " gives at most " + 255 * mac.getMacLength() * 8 + " bits";
          }
          yield "+" + latin1(hkdf(mac, secret, salt, bytes(arguments[4]), bits / 8));
        }
        default -> "-the algorithm " + kind + " is not supported";
      };
    } catch (GeneralSecurityException e) {
      return "-the " + kind + " derivation could not run: " + e.getMessage();
    }
  });

  static byte[] pbkdf2(String algorithm, byte[] password, byte[] salt, int iterations, int length)
      throws GeneralSecurityException {
    Mac mac = Mac.getInstance(algorithm);
    mac.init(new RawKey(password, algorithm));
    int hashLength = mac.getMacLength();
    byte[] out = new byte[length];
    byte[] u = new byte[hashLength];
    byte[] t = new byte[hashLength];
    for (int block = 1, at = 0; at < length; block++, at += hashLength) {
      mac.update(salt);
      mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
      mac.doFinal(u, 0);
      System.arraycopy(u, 0, t, 0, hashLength);
      for (int i = 1; i < iterations; i++) {
        mac.update(u);
        mac.doFinal(u, 0);
        for (int k = 0; k < hashLength; k++) {
          t[k] ^= u[k];
        }
      }
      System.arraycopy(t, 0, out, at, Math.min(hashLength, length - at));
    }
    return out;
  }

  static byte[] hkdf(Mac mac, byte[] inputKey, byte[] salt, byte[] info, int length) throws GeneralSecurityException {
    String algorithm = mac.getAlgorithm();
    // extract: an absent salt is a string of zeros as long as the hash
    mac.init(new RawKey(salt.length == 0 ? new byte[mac.getMacLength()] : salt, algorithm));
    byte[] pseudoRandomKey = mac.doFinal(inputKey);
    // expand
    mac.init(new RawKey(pseudoRandomKey, algorithm));
    ByteArrayOutputStream out = new ByteArrayOutputStream(length + mac.getMacLength());
    byte[] previous = new byte[0];
    for (int block = 1; out.size() < length; block++) {
      mac.update(previous);
      mac.update(info);
      mac.update((byte) block);
      previous = mac.doFinal();
      out.writeBytes(previous);
    }
    return Arrays.copyOf(out.toByteArray(), length);
  }

  /**
   * A key of any bytes, the empty string included: HMAC allows an empty key, and so does the standard for a PBKDF2
   * password, while {@code SecretKeySpec} refuses one.
   */
  private record RawKey(byte[] material, String algorithm) implements SecretKey {
    @Override
    public String getAlgorithm() {
      return algorithm;
    }

    @Override
    public String getFormat() {
      return "RAW";
    }

    @Override
    public byte[] getEncoded() {
      return material.clone();
    }
  }
}
