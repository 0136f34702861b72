package io.codesous.auth.secret;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Replaces every occurrence of an activation's secret values in a text (a log line, an error
 * message, a result stored in the activation record) with {@value #REPLACEMENT}.
 *
 * <p>Occurrences are found for every value first and then replaced together, so values that
 * overlap or nest ({@code abcd} and {@code cdef} in {@code abcdef}; {@code token} inside
 * {@code token-2}) leave no fragment of either behind: each maximal run of characters covered by
 * some occurrence becomes one {@value #REPLACEMENT}. Values are searched longest first, which gives
 * the same result and finds the long covering matches early.
 *
 * <p>Values shorter than {@value #MIN_SECRET_LENGTH} characters are not redacted. Replacing every
 * {@code "1"} or {@code "on"} in a text would make logs unreadable, and the pattern of replacements
 * would itself spell out the value; such a value protects nothing anyway. The secret API should
 * refuse values that short so that none is ever skipped.
 *
 * <p>Only exact occurrences are found: a value the function re-encodes (base64, URL-encoding,
 * reversed) is not recognised. Immutable and thread-safe.
 */
public final class SecretRedactor {

  public static final String REPLACEMENT = "[redacted]";
  public static final int MIN_SECRET_LENGTH = 4;

  /** Redacts nothing. */
  public static final SecretRedactor NONE = new SecretRedactor(List.of());

  private final List<String> valuesLongestFirst;

  public SecretRedactor(Collection<String> secretValues) {
    Objects.requireNonNull(secretValues, "secretValues");
    Set<String> distinct = new LinkedHashSet<>();
    for (String value : secretValues) {
      if (value != null && value.length() >= MIN_SECRET_LENGTH) {
        distinct.add(value);
      }
    }
    this.valuesLongestFirst = distinct.stream()
        .sorted(Comparator.comparingInt(String::length).reversed())
        .toList();
  }

  /**
   * A redactor for the values and for their forms inside a JSON string ({@code "} as {@code \"}, newline as
   * {@code \n}, …): functions commonly log or return {@code JSON.stringify} of objects holding a secret.
   */
  public static SecretRedactor withJsonForms(Collection<String> secretValues) {
    Objects.requireNonNull(secretValues, "secretValues");
    List<String> forms = new ArrayList<>();
    for (String value : secretValues) {
      if (value != null) {
        forms.add(value);
        String quoted = io.vertx.core.json.Json.encode(value);
        forms.add(quoted.substring(1, quoted.length() - 1));
      }
    }
    return new SecretRedactor(forms);
  }

  /** Whether there is nothing to redact. */
  public boolean isEmpty() {
    return valuesLongestFirst.isEmpty();
  }

  /** The text with every occurrence of every secret value replaced; {@code null} stays {@code null}. */
  public String redact(String text) {
    if (text == null || valuesLongestFirst.isEmpty()) {
      return text;
    }
    BitSet covered = new BitSet(text.length());
    for (String value : valuesLongestFirst) {
      // steps one character at a time so overlapping occurrences of one value ("aaaa" in "aaaaa") count too
      for (int at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
        covered.set(at, at + value.length());
      }
    }
    if (covered.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int position = 0;
    for (int start = covered.nextSetBit(0); start >= 0; start = covered.nextSetBit(position)) {
      int end = covered.nextClearBit(start);
      out.append(text, position, start).append(REPLACEMENT);
      position = end;
    }
    return out.append(text, position, text.length()).toString();
  }

  /**
   * Redacts every string member of {@code json}, at any depth (a function's response, stored and answered);
   * structure and other values stay as they are. Returns {@code json} itself when there is nothing to redact.
   */
  public JsonObject redactStrings(JsonObject json) {
    if (isEmpty()) {
      return json;
    }
    JsonObject out = new JsonObject();
    json.forEach(member -> out.put(member.getKey(), redactValue(member.getValue())));
    return out;
  }

  private Object redactValue(Object value) {
    if (value instanceof String text) {
      return redact(text);
    }
    if (value instanceof JsonObject object) {
      return redactStrings(object);
    }
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(item -> out.add(redactValue(item)));
      return out;
    }
    return value;
  }

  @Override
  public String toString() {
    // the values themselves never appear here
    return "SecretRedactor[" + valuesLongestFirst.size() + " values]";
  }
}
