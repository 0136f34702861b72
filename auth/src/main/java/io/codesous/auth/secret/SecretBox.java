package io.codesous.auth.secret;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Encrypts secret values at rest with AES-256-GCM (JDK crypto only).
 *
 * <p>Envelope: {@code v1:<nonce>:<ciphertext>}, both parts standard base64; the ciphertext ends
 * with GCM's 128-bit tag. Each encryption takes a fresh random 96-bit nonce, so encrypting the same
 * value twice gives different envelopes. With random nonces one key must not seal more than about
 * 2^32 values; secrets are written by people and agents, far below that.
 *
 * <p>The associated data binds the envelope to its secret's tenant, namespace and name (length
 * prefixed, so no two different triples encode alike): an envelope copied into another secret's
 * record, even within the same tenant, fails to decrypt instead of leaking its value there.
 *
 * <p>The {@code v1} prefix leaves room for a later format (e.g. with a key id for key rotation).
 * Thread-safe.
 */
public final class SecretBox {

  public static final String ENVELOPE_VERSION = "v1";
  public static final int KEY_BYTES = 32;
  public static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final byte[] AAD_LABEL = "cs.secret.v1".getBytes(StandardCharsets.UTF_8);

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  /** @param key 32 bytes; copied */
  public SecretBox(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("the secret key must be " + KEY_BYTES + " bytes, not " + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  /** A box for a key given in configuration as base64 (standard alphabet) of 32 bytes. */
  public static SecretBox fromBase64Key(String base64Key) {
    Objects.requireNonNull(base64Key, "base64Key");
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64Key.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the secret key is not base64");
    }
    try {
      return new SecretBox(key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** A fresh random key in the base64 form {@link #fromBase64Key} takes, for operators setting up. */
  public static String generateBase64Key() {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    try {
      return Base64.getEncoder().encodeToString(key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  public String encrypt(String tenant, String namespace, String name, byte[] plaintext) {
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] aad = associatedData(tenant, namespace, name);
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad);
      byte[] ciphertext = cipher.doFinal(plaintext);
      Base64.Encoder b64 = Base64.getEncoder();
      return ENVELOPE_VERSION + ":" + b64.encodeToString(nonce) + ":" + b64.encodeToString(ciphertext);
    } catch (GeneralSecurityException e) {
      throw new SecretBoxException("secret could not be encrypted", e);
    }
  }

  /**
   * @throws SecretBoxException with {@value SecretBoxException#DECRYPT_FAILED} when the envelope is
   *     malformed, was altered, was sealed with another key, or belongs to another secret
   */
  public byte[] decrypt(String tenant, String namespace, String name, String envelope) {
    byte[] aad = associatedData(tenant, namespace, name);
    if (envelope == null) {
      throw new SecretBoxException(SecretBoxException.DECRYPT_FAILED);
    }
    String[] parts = envelope.split(":", -1);
    if (parts.length != 3 || !ENVELOPE_VERSION.equals(parts[0])) {
      throw new SecretBoxException(SecretBoxException.DECRYPT_FAILED);
    }
    try {
      byte[] nonce = Base64.getDecoder().decode(parts[1]);
      byte[] ciphertext = Base64.getDecoder().decode(parts[2]);
      if (nonce.length != NONCE_BYTES) {
        throw new SecretBoxException(SecretBoxException.DECRYPT_FAILED);
      }
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad);
      return cipher.doFinal(ciphertext);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      // no cause attached: the reason (bad tag, bad base64) is the same non-answer for every caller
      throw new SecretBoxException(SecretBoxException.DECRYPT_FAILED);
    }
  }

  private static byte[] associatedData(String tenant, String namespace, String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(AAD_LABEL);
    for (String part : new String[] {tenant, namespace, name}) {
      byte[] bytes = Objects.requireNonNull(part, "tenant, namespace and name are required").getBytes(StandardCharsets.UTF_8);
      out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return "SecretBox[AES-256-GCM]";
  }
}
