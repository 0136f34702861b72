package io.codesous.auth.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SecretBoxTest {

  private static final String KEY = SecretBox.generateBase64Key();
  private static final SecretBox BOX = SecretBox.fromBase64Key(KEY);
  private static final byte[] VALUE = "sk_live_51H8xYz-very-secret".getBytes(StandardCharsets.UTF_8);

  private static void assertDecryptFails(Runnable decrypt) {
    SecretBoxException failure = assertThrows(SecretBoxException.class, decrypt::run);
    assertEquals(SecretBoxException.DECRYPT_FAILED, failure.getMessage());
  }

  @Test
  void roundTrip() {
    String envelope = BOX.encrypt("acme", "default", "stripe", VALUE);
    assertTrue(envelope.startsWith("v1:"));
    assertEquals(3, envelope.split(":").length);
    assertFalse(envelope.contains("very-secret"));
    assertArrayEquals(VALUE, BOX.decrypt("acme", "default", "stripe", envelope));
    // another box with the same configured key reads it too
    assertArrayEquals(VALUE, SecretBox.fromBase64Key(KEY).decrypt("acme", "default", "stripe", envelope));
  }

  @Test
  void emptyAndBinaryValuesRoundTrip() {
    byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    assertArrayEquals(binary, BOX.decrypt("acme", "ns", "bin", BOX.encrypt("acme", "ns", "bin", binary)));
    assertArrayEquals(new byte[0], BOX.decrypt("acme", "ns", "empty", BOX.encrypt("acme", "ns", "empty", new byte[0])));
  }

  @Test
  void everyEncryptionUsesAFreshNonce() {
    Set<String> nonces = new HashSet<>();
    Set<String> envelopes = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String envelope = BOX.encrypt("acme", "default", "stripe", VALUE);
      envelopes.add(envelope);
      String nonce = envelope.split(":")[1];
      assertEquals(SecretBox.NONCE_BYTES, Base64.getDecoder().decode(nonce).length);
      nonces.add(nonce);
    }
    assertEquals(200, nonces.size());
    assertEquals(200, envelopes.size());
  }

  @Test
  void wrongKeyFails() {
    String envelope = BOX.encrypt("acme", "default", "stripe", VALUE);
    SecretBox other = SecretBox.fromBase64Key(SecretBox.generateBase64Key());
    assertDecryptFails(() -> other.decrypt("acme", "default", "stripe", envelope));
  }

  static Stream<Arguments> otherSecrets() {
    return Stream.of(
        Arguments.of("globex", "default", "stripe"),
        Arguments.of("acme", "prod", "stripe"),
        Arguments.of("acme", "default", "github"),
        // same characters, split differently: the length prefixes keep these apart
        Arguments.of("acmed", "efault", "stripe"),
        Arguments.of("acme", "defaultstripe", ""));
  }

  @ParameterizedTest
  @MethodSource("otherSecrets")
  void anEnvelopeMovedToAnotherSecretFails(String tenant, String namespace, String name) {
    String envelope = BOX.encrypt("acme", "default", "stripe", VALUE);
    assertDecryptFails(() -> BOX.decrypt(tenant, namespace, name, envelope));
  }

  @Test
  void tamperedEnvelopesFail() {
    String envelope = BOX.encrypt("acme", "default", "stripe", VALUE);
    String[] parts = envelope.split(":");
    byte[] ciphertext = Base64.getDecoder().decode(parts[2]);
    ciphertext[0] ^= 1;
    String flippedCiphertext = parts[0] + ":" + parts[1] + ":" + Base64.getEncoder().encodeToString(ciphertext);
    byte[] nonce = Base64.getDecoder().decode(parts[1]);
    nonce[0] ^= 1;
    String flippedNonce = parts[0] + ":" + Base64.getEncoder().encodeToString(nonce) + ":" + parts[2];
    byte[] truncated = java.util.Arrays.copyOf(Base64.getDecoder().decode(parts[2]), VALUE.length);
    String withoutTag = parts[0] + ":" + parts[1] + ":" + Base64.getEncoder().encodeToString(truncated);

    for (String bad : new String[] {
        flippedCiphertext, flippedNonce, withoutTag,
        "v2:" + parts[1] + ":" + parts[2],
        parts[1] + ":" + parts[2],
        envelope + ":extra",
        "v1:!!!:" + parts[2],
        "v1:" + Base64.getEncoder().encodeToString(new byte[8]) + ":" + parts[2],
        "", null}) {
      assertDecryptFails(() -> BOX.decrypt("acme", "default", "stripe", bad));
    }
    assertNotEquals(envelope, flippedCiphertext);
  }

  @Test
  void keyMustBe256BitBase64() {
    assertThrows(IllegalArgumentException.class, () -> SecretBox.fromBase64Key(Base64.getEncoder().encodeToString(new byte[16])));
    assertThrows(IllegalArgumentException.class, () -> SecretBox.fromBase64Key("not base64!"));
    assertThrows(IllegalArgumentException.class, () -> new SecretBox(new byte[31]));
    assertFalse(BOX.toString().contains(KEY));
  }
}
