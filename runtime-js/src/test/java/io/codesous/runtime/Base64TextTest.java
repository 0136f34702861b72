package io.codesous.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** btoa's and atob's loops in the JDK, against the HTML standard's forgiving-base64 rules. */
class Base64TextTest {

  @Test
  void encodingCarriesEveryByteAndRefusesCharsAboveLatin1() {
    assertEquals("", Base64Text.encode(""));
    assertEquals("aGVsbG8=", Base64Text.encode("hello"));
    assertEquals("//4=", Base64Text.encode("\u00ff\u00fe"));
    assertEquals("AA==", Base64Text.encode("\u0000"));
    assertNull(Base64Text.encode("price \u20ac"));
  }

  @Test
  void decodingSkipsAsciiWhitespaceAndAcceptsMissingPadding() {
    assertEquals("hello", Base64Text.forgivingDecode("aGVsbG8="));
    assertEquals("hello", Base64Text.forgivingDecode("aGVsbG8"));
    assertEquals("hello", Base64Text.forgivingDecode(" aGVs\nbG8=\t"));
    assertEquals("hello", Base64Text.forgivingDecode("aG\fVs\rbG8"));
    assertEquals("", Base64Text.forgivingDecode(""));
    assertEquals("", Base64Text.forgivingDecode(" \n"));
    assertEquals("a", Base64Text.forgivingDecode("YQ=="));
    assertEquals("ab", Base64Text.forgivingDecode("YWI="));
  }

  @Test
  void theSpareBitsOfAShortLastGroupAreDroppedWhateverTheyAre() {
    assertEquals("a", Base64Text.forgivingDecode("YR"));
    assertEquals("ab", Base64Text.forgivingDecode("YWJ"));
  }

  @Test
  void whatTheStandardCallsFailureIsNull() {
    assertNull(Base64Text.forgivingDecode("a"));
    assertNull(Base64Text.forgivingDecode("abcde"));
    assertNull(Base64Text.forgivingDecode("ab=c"));
    assertNull(Base64Text.forgivingDecode("ab$c"));
    assertNull(Base64Text.forgivingDecode("ab="));
    assertNull(Base64Text.forgivingDecode("a==="));
    assertNull(Base64Text.forgivingDecode("===="));
    assertNull(Base64Text.forgivingDecode("YQ==="));
    assertNull(Base64Text.forgivingDecode("YQ-_"));
    assertNull(Base64Text.forgivingDecode("YQ\u00e9A"));
    assertNull(Base64Text.forgivingDecode("YQ\u3000A"));
  }

  @Test
  void randomBytesComeBackUnchanged() {
    Random random = new Random(42);
    for (int length = 0; length < 200; length++) {
      StringBuilder latin1 = new StringBuilder();
      for (int i = 0; i < length; i++) {
        latin1.append((char) random.nextInt(256));
      }
      String encoded = Base64Text.encode(latin1.toString());
      assertEquals(latin1.toString(), Base64Text.forgivingDecode(encoded), encoded);
      assertEquals(latin1.toString(), Base64Text.forgivingDecode(encoded.replace("=", "")), encoded);
    }
  }
}
