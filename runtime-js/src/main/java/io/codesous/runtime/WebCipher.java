package io.codesous.runtime;

import static io.codesous.runtime.WebCrypto.answering;
import static io.codesous.runtime.WebCrypto.bytes;
import static io.codesous.runtime.WebCrypto.latin1;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * AES encryption behind {@code crypto.subtle.encrypt}, {@code decrypt}, {@code wrapKey} and {@code unwrapKey} (see
 * {@code web-crypto.js}): AES-GCM, AES-CBC (PKCS#7 padding), AES-CTR and AES-KW (RFC 3394) from the JDK's provider.
 * Bytes cross as strings of one char per byte; the answer is {@code "+"} and the result, or {@code "-"} and why there is none, so an empty plaintext is told from a failure and
 * no host exception reaches the guest.
 */
final class WebCipher {

  /** GCM's authentication tag lengths the JDK's provider accepts (the standard allows 32 and 64 too). */
  private static final int[] GCM_TAG_BITS = {96, 104, 112, 120, 128};

  private WebCipher() {
  }

  /**
   * cipher(mode, encrypt, key, iv, additionalData, tagBits, data): mode is {@code AES-GCM}, {@code AES-CBC},
   * {@code AES-CTR} or {@code AES-KW}, the key 16, 24 or 32 bytes (checked by the guest when it was imported);
   * additionalData and tagBits are GCM's; for AES-CTR, iv is the counter block and tagBits the counter's length.
   */
  static final ProxyExecutable CIPHER = answering("-the operation could not run", arguments -> {
    String mode = arguments[0].asString();
    boolean encrypt = arguments[1].asBoolean();
    try {
      Cipher cipher;
      SecretKeySpec key = new SecretKeySpec(bytes(arguments[2]), "AES");
      byte[] iv = bytes(arguments[3]);
      int opmode = encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
      switch (mode) {
        case "AES-GCM" -> {
          int tagBits = arguments[5].asInt();
          if (!supportedTag(tagBits)) {
            return "-a tag length of " + tagBits + " bits is not supported (96, 104, 112, 120 or 128)";
          }
          if (iv.length == 0) {
            return "-the iv must not be empty";
          }
          cipher = Cipher.getInstance("AES/GCM/NoPadding");
          cipher.init(opmode, key, new GCMParameterSpec(tagBits, iv));
          byte[] additional = bytes(arguments[4]);
          if (additional.length > 0) {
            cipher.updateAAD(additional);
          }
        }
        case "AES-CTR" -> {
          return "+" + latin1(counterMode(key, iv, arguments[5].asInt(), bytes(arguments[6])));
        }
        case "AES-KW" -> {
          cipher = Cipher.getInstance("AES/KW/NoPadding");
          cipher.init(opmode, key);
        }
        case "AES-CBC" -> {
          if (iv.length != 16) {
            return "-the iv must be 16 bytes, not " + iv.length;
          }
          cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
          cipher.init(opmode, key, new IvParameterSpec(iv));
        }
        default -> {
          return "-the algorithm " + mode + " is not supported";
        }
      }
      return "+" + latin1(cipher.doFinal(bytes(arguments[6])));
    } catch (AEADBadTagException e) {
      return "-the data could not be decrypted: its authentication tag does not match";
    } catch (BadPaddingException e) {
      return "AES-KW".equals(mode) ? "-the data could not be unwrapped: its integrity check failed"
          : "-the data could not be decrypted: its padding is not valid";
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return "-the " + mode + " operation could not run: " + e.getMessage();
    }
  });

  /**
   * AES-CTR as the standard has it: only the counter block's rightmost {@code counterBits} count, and they wrap around
   * without carrying into the rest of the block, where the JDK's mode carries through all 128 bits. So the data is
   * cut where the counter wraps, the rest run from a block whose counter bits are zero; data that would use a counter
   * value twice is refused.
   */
  private static byte[] counterMode(SecretKeySpec key, byte[] counter, int counterBits, byte[] data)
      throws GeneralSecurityException {
    if (counter.length != 16) {
      throw new IllegalArgumentException("the counter must be 16 bytes, not " + counter.length);
    }
    if (counterBits < 1 || counterBits > 128) {
      throw new IllegalArgumentException("the counter length must be 1 to 128 bits, not " + counterBits);
    }
    BigInteger values = BigInteger.ONE.shiftLeft(counterBits);
    BigInteger start = new BigInteger(1, counter).mod(values);
    BigInteger blocks = BigInteger.valueOf((data.length + 15L) / 16);
    if (blocks.compareTo(values) > 0) {
      throw new IllegalArgumentException("the data needs more blocks than the " + counterBits + "-bit counter has");
    }
    BigInteger beforeWrap = values.subtract(start);
    if (blocks.compareTo(beforeWrap) <= 0) {
      return ctr(key, counter, data, 0, data.length);
    }
    int split = beforeWrap.intValueExact() * 16;
    byte[] zeroed = WebCrypto.unsigned(new BigInteger(1, counter).subtract(start), 16);
    byte[] first = ctr(key, counter, data, 0, split);
    byte[] rest = ctr(key, zeroed, data, split, data.length - split);
    byte[] out = Arrays.copyOf(first, data.length);
    System.arraycopy(rest, 0, out, split, rest.length);
    return out;
  }

  private static byte[] ctr(SecretKeySpec key, byte[] counter, byte[] data, int offset, int length)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counter));
    return cipher.doFinal(data, offset, length);
  }

  private static boolean supportedTag(int bits) {
    for (int supported : GCM_TAG_BITS) {
      if (supported == bits) {
        return true;
      }
    }
    return false;
  }
}
