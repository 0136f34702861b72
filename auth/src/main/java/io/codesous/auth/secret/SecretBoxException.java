package io.codesous.auth.secret;

/**
 * A secret could not be encrypted or decrypted. On decryption the message is always the same
 * ({@value #DECRYPT_FAILED}), whether the key is wrong, the envelope was altered, or it belongs to
 * another secret: the difference would help nobody but an attacker.
 */
public final class SecretBoxException extends RuntimeException {

  public static final String DECRYPT_FAILED = "secret could not be decrypted";

  public SecretBoxException(String message) {
    super(message);
  }

  public SecretBoxException(String message, Throwable cause) {
    super(message, cause);
  }
}
