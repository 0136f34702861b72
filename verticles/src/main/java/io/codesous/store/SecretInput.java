package io.codesous.store;

import io.codesous.spec.error.CsException;
import io.codesous.spec.validation.Names;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The checks on what a caller hands the {@link SecretStore}: scope names and secret values. They
 * throw {@link CsException} naming the field, and never put a value (or any part of it) into a
 * message.
 */
final class SecretInput {

  private SecretInput() {
  }

  static String requireScope(String tenant, String namespace, String name) {
    Names.requireName("tenant", tenant);
    Names.requireName("namespace", namespace);
    return Names.requireName("name", name);
  }

  /** Checks a value without ever putting it (or any part of it) into a message. */
  static void requireValue(String value) {
    if (value == null) {
      throw CsException.validation("value", "is required");
    }
    if (value.length() < SecretStore.MIN_VALUE_CHARS) {
      throw CsException.validation("value", "must be at least " + SecretStore.MIN_VALUE_CHARS + " characters long");
    }
    // Every char takes at least one byte in UTF-8, so a longer string is refused before it is encoded.
    if (value.length() > SecretStore.MAX_VALUE_BYTES || utf8Length(value) > SecretStore.MAX_VALUE_BYTES) {
      throw CsException.validation("value", "must be at most " + SecretStore.MAX_VALUE_BYTES + " bytes in UTF-8");
    }
  }

  /** The UTF-8 length; refuses text with unpaired surrogates, which would not come back as it was given. */
  private static long utf8Length(String value) {
    try {
      ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(value));
      long length = bytes.remaining();
      Arrays.fill(bytes.array(), (byte) 0);
      return length;
    } catch (CharacterCodingException e) {
      throw CsException.validation("value", "must be valid Unicode text");
    }
  }
}
