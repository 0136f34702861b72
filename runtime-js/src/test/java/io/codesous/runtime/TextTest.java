package io.codesous.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "ascii", "é", "€", "😀", "a😀b", "\ud800", "x\udc00y", "\ud83d", "mixé€😀\u0000"})
  void utf8LengthMatchesTheEncoder(String s) {
    assertEquals(s.getBytes(StandardCharsets.UTF_8).length, Utf8.length(s));
  }

  @org.junit.jupiter.api.Test
  void jsonQuoteEscapesControlQuotesAndLoneSurrogates() {
    String quoted = Json.quote(new StringBuilder(), "a\"b\\c\n\r\t\b\f\u0000\u001f\u2028é😀\ud800").toString();

    assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0000\\u001f\\u2028é😀\\ud800\"", quoted);
  }
}
