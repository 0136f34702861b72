package io.codesous.runtime;

import static io.codesous.runtime.WebCrypto.answering;
import static io.codesous.runtime.WebCrypto.bytes;
import static io.codesous.runtime.WebCrypto.latin1;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * AES encryption behind {@code crypto.subtle.encrypt} and {@code decrypt} (see {@code web-crypto.js}): AES-GCM and
 * AES-CBC (PKCS#7 padding) from the JDK's provider. Bytes cross as strings of one char per byte; the answer is
 * {@code "+"} and the result, or {@code "-"} and why there is none, so an empty plaintext is told from a failure and
 * no host exception reaches the guest.
 */
final class WebCipher {

  /** GCM's authentication tag lengths the JDK's provider accepts (the standard allows 32 and 64 too). */
  private static final int[] GCM_TAG_BITS = {96, 104, 112, 120, 128};

  private WebCipher() {
  }

  /**
   * cipher(mode, encrypt, key, iv, additionalData, tagBits, data): mode is {@code AES-GCM} or {@code AES-CBC}, the
   * key 16, 24 or 32 bytes (checked by the guest when it was imported); additionalData and tagBits are GCM's.
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
      return "-the data could not be decrypted: its padding is not valid";
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return "-the " + mode + " operation could not run: " + e.getMessage();
    }
  });

  private static boolean supportedTag(int bits) {
    for (int supported : GCM_TAG_BITS) {
      if (supported == bits) {
        return true;
      }
    }
    return false;
  }
}
