package io.codesous.auth.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class SecretRedactorTest {

  private static String redact(String text, String... secrets) {
    return new SecretRedactor(List.of(secrets)).redact(text);
  }

  @Test
  void redactsEveryStringOfAResponseAtAnyDepthAndLeavesItsShapeAlone() {
    SecretRedactor redactor = new SecretRedactor(java.util.List.of("hunter22"));
    io.vertx.core.json.JsonObject response = new io.vertx.core.json.JsonObject()
        .put("statusCode", 200)
        .put("headers", new io.vertx.core.json.JsonObject().put("x-token", "hunter22"))
        .put("body", "pw=hunter22")
        .put("list", new io.vertx.core.json.JsonArray().add("hunter22").add(7).add(true));
    io.vertx.core.json.JsonObject redacted = redactor.redactStrings(response);
    assertEquals(new io.vertx.core.json.JsonObject()
        .put("statusCode", 200)
        .put("headers", new io.vertx.core.json.JsonObject().put("x-token", "[redacted]"))
        .put("body", "pw=[redacted]")
        .put("list", new io.vertx.core.json.JsonArray().add("[redacted]").add(7).add(true)), redacted);
    assertEquals("pw=hunter22", response.getString("body"), "the original is not changed");
  }

  @Test
  void replacesEveryOccurrence() {
    assertEquals("key=[redacted] again [redacted].", redact("key=hunter22 again hunter22.", "hunter22"));
    assertEquals("[redacted]", redact("hunter22", "hunter22"));
  }

  @Test
  void leavesTextWithoutSecretsAlone() {
    String text = "nothing to see";
    assertSame(text, redact(text, "hunter22"));
    assertSame(text, SecretRedactor.NONE.redact(text));
    assertNull(redact(null, "hunter22"));
  }

  @Test
  void longerValueContainingAShorterOneLeavesNoFragment() {
    // replaced shortest first, "token-extra" would become "[redacted]-extra" and leak its tail
    assertEquals("use [redacted] now", redact("use token-extra now", "token", "token-extra"));
    assertEquals("use [redacted] now", redact("use token-extra now", "token-extra", "token"));
  }

  @Test
  void overlappingValuesAreRedactedTogether() {
    assertEquals("x[redacted]y", redact("xabcdefy", "abcd", "cdef"));
    // adjacent occurrences merge into one marker
    assertEquals("[redacted]", redact("abcdabcd", "abcd"));
    // overlapping occurrences of one value
    assertEquals("[redacted]", redact("aaaaa", "aaaa"));
  }

  @Test
  void valuesShorterThanTheMinimumAreNotRedacted() {
    assertEquals(4, SecretRedactor.MIN_SECRET_LENGTH);
    assertEquals("abc abc", redact("abc abc", "abc"));
    assertEquals("[redacted] abc", redact("abcd abc", "abcd", "abc"));
    assertTrue(new SecretRedactor(Arrays.asList("", null, "xyz")).isEmpty());
    assertFalse(new SecretRedactor(List.of("wxyz")).isEmpty());
  }

  @Test
  void handlesRegexAndMultibyteCharactersLiterally() {
    assertEquals("p=[redacted]!", redact("p=a.*b$c!", "a.*b$c"));
    assertEquals("[redacted] ok", redact("pässwörd🔑 ok", "pässwörd🔑"));
  }

  @Test
  void toStringNamesNoValue() {
    assertFalse(new SecretRedactor(List.of("hunter22")).toString().contains("hunter22"));
  }

  @Test
  void jsonFormsOfAValueAreRedactedToo() {
    SecretRedactor redactor = SecretRedactor.withJsonForms(java.util.List.of("pa\"ss\nword"));
    String json = io.vertx.core.json.Json.encode(java.util.Map.of("k", "pa\"ss\nword"));
    assertEquals("{\"k\":\"[redacted]\"}", redactor.redact(json));
    assertEquals("raw [redacted]", redactor.redact("raw pa\"ss\nword"));
  }
}
