package io.codesous.spec.validation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * JSON values as JSON Schema sees them, over the Java types Vert.x's parser produces: a number is
 * a number whatever its Java type ({@code 1}, {@code 1L} and {@code 1.0} are the same value and
 * all integers), and objects and arrays compare member by member.
 */
final class JsonValues {

  private JsonValues() {
  }

  /** Whether {@code value} (as Vert.x JSON holds it) has the JSON Schema {@code type}. */
  static boolean hasType(Object value, String type) {
    return switch (type) {
      case "object" -> value instanceof JsonObject;
      case "array" -> value instanceof JsonArray;
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "null" -> value == null;
      case "number" -> value instanceof Number;
      case "integer" -> value instanceof Number number && isIntegral(number);
      default -> false;
    };
  }

  /** The JSON Schema type of {@code value}, the narrowest that fits ({@code integer} before {@code number}). */
  static String typeOf(Object value) {
    for (String t : List.of("null", "integer", "number", "string", "boolean", "object", "array")) {
      if (hasType(value, t)) {
        return t;
      }
    }
    return value.getClass().getSimpleName();
  }

  /** JSON Schema's integer: any number without a fractional part ({@code 1.0} is one). */
  private static boolean isIntegral(Number number) {
    if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte
        || number instanceof BigInteger) {
      return true;
    }
    if (number instanceof Double || number instanceof Float) {
      double d = number.doubleValue();
      return Double.isFinite(d) && d == Math.rint(d);
    }
    return decimal(number).stripTrailingZeros().scale() <= 0;
  }

  /** Any JSON number exactly, whichever Java type the parser chose for it. */
  static BigDecimal decimal(Number number) {
    if (number instanceof BigDecimal big) {
      return big;
    }
    if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte) {
      return BigDecimal.valueOf(number.longValue());
    }
    if (number instanceof BigInteger big) {
      return new BigDecimal(big);
    }
    return new BigDecimal(number.toString());
  }

  /** JSON equality: numbers by value, objects and arrays member by member. */
  static boolean sameJson(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return decimal(x).compareTo(decimal(y)) == 0;
    }
    if (a instanceof JsonObject x && b instanceof JsonObject y) {
      if (!x.fieldNames().equals(y.fieldNames())) {
        return false;
      }
      for (String name : x.fieldNames()) {
        if (!sameJson(x.getValue(name), y.getValue(name))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof JsonArray x && b instanceof JsonArray y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!sameJson(x.getValue(i), y.getValue(i))) {
          return false;
        }
      }
      return true;
    }
    return java.util.Objects.equals(a, b);
  }

  /** A value as a message quotes it: strings in quotes, the rest as JSON writes it. */
  static String describe(Object value) {
    return value instanceof String text ? '"' + text + '"' : String.valueOf(value);
  }
}
