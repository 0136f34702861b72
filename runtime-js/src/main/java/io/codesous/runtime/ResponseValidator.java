package io.codesous.runtime;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * Checks the handler's settled value against the response contract and normalizes it.
 *
 * <ul>
 *   <li>the value must be an object: not {@code null}/{@code undefined}, a primitive, an array or a function;
 *   <li>{@code statusCode}: required, an integer 200..599. A 1xx is an interim response in HTTP/1.1: written as
 *       a final answer it leaves the caller reading the next response on the connection as this one's, and after
 *       a 101 the body is parsed as a fresh response, so no 1xx is a valid final response;
 *   <li>{@code headers}: optional, an object whose values are strings; default {@code {}}; at most
 *       {@code maxResponseHeaders} members whose names and values total at most {@code maxResponseHeaderBytes}
 *       UTF-8 bytes. The count is checked before any value is read, so a huge object costs no more than its keys;
 *   <li>{@code body}: optional string; default {@code ""};
 *   <li>{@code isBase64Encoded}: optional boolean; default {@code false}; when true, {@code body} must be base64;
 *   <li>the body may be at most {@code maxResponseBytes} bytes: UTF-8 bytes, or the decoded bytes when base64.
 * </ul>
 *
 * An optional member that is missing, {@code undefined} or {@code null} takes its default; other members are
 * ignored. Reading members may run guest code (getters, proxies), so this runs while the activation is still
 * guarded, and a {@link PolyglotException} from such code propagates to the caller like any other guest throw.
 */
final class ResponseValidator {

  static final String PREFIX = "invalid response: ";

  /** The normalized response: exactly the four members of the contract. */
  record ValidatedResponse(int statusCode, Map<String, String> headers, String body, boolean isBase64Encoded) {

    String toJson() {
      StringBuilder json = new StringBuilder(body.length() + 64);
      json.append("{\"statusCode\":").append(statusCode).append(",\"headers\":{");
      boolean first = true;
      for (Map.Entry<String, String> header : headers.entrySet()) {
        if (!first) {
          json.append(',');
        }
        first = false;
        Json.quote(json, header.getKey()).append(':');
        Json.quote(json, header.getValue());
      }
      json.append("},\"body\":");
      Json.quote(json, body);
      return json.append(",\"isBase64Encoded\":").append(isBase64Encoded).append('}').toString();
    }
  }

  /** The response breaks the contract; the message starts with {@value #PREFIX} and names the member. */
  static final class InvalidResponseException extends Exception {
    InvalidResponseException(String detail) {
      super(PREFIX + detail, null, false, false);
    }
  }

  private final int maxResponseBytes;
  private final int maxHeaders;
  private final int maxHeaderBytes;

  ResponseValidator(ExecutionLimits limits) {
    this.maxResponseBytes = limits.maxResponseBytes();
    this.maxHeaders = limits.maxResponseHeaders();
    this.maxHeaderBytes = limits.maxResponseHeaderBytes();
  }

  ValidatedResponse validate(Value response) throws InvalidResponseException {
    if (!isObject(response)) {
      throw new InvalidResponseException("the handler must return an object, got " + describe(response));
    }
    int statusCode = statusCode(response.getMember("statusCode"));
    Map<String, String> headers = headers(response.getMember("headers"));
    Value bodyValue = response.getMember("body");
    String body;
    if (absent(bodyValue)) {
      body = "";
    } else if (bodyValue.isString()) {
      body = bodyValue.asString();
    } else {
      throw new InvalidResponseException("body must be a string, got " + describe(bodyValue));
    }
    Value base64Value = response.getMember("isBase64Encoded");
    boolean isBase64Encoded;
    if (absent(base64Value)) {
      isBase64Encoded = false;
    } else if (base64Value.isBoolean()) {
      isBase64Encoded = base64Value.asBoolean();
    } else {
      throw new InvalidResponseException("isBase64Encoded must be a boolean, got " + describe(base64Value));
    }
    checkBodySize(body, isBase64Encoded);
    return new ValidatedResponse(statusCode, headers, body, isBase64Encoded);
  }

  /**
   * A Cadence activity's result: the handler may return any JSON value, which completes the activity. It travels
   * in the usual response shape, JSON-encoded as the body of a 200, so results keep one schema.
   */
  ValidatedResponse activityResult(String json) throws InvalidResponseException {
    checkBodySize(json, false);
    return new ValidatedResponse(200, Map.of(), json, false);
  }

  private static int statusCode(Value value) throws InvalidResponseException {
    if (value != null && value.isNumber() && value.fitsInInt()) {
      int code = value.asInt();
      if (code >= 200 && code <= 599) {
        return code;
      }
    }
    throw new InvalidResponseException("statusCode must be an integer 200..599, got " + describe(value));
  }

  private Map<String, String> headers(Value value) throws InvalidResponseException {
    if (absent(value)) {
      return Map.of();
    }
    if (!isObject(value)) {
      throw new InvalidResponseException("headers must be an object, got " + describe(value));
    }
    var names = value.getMemberKeys();
    int count = names.size();
    if (count > maxHeaders) {
      throw new InvalidResponseException("headers has " + count + " entries; at most " + maxHeaders
          + " are allowed");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    long bytes = 0;
    for (String name : names) {
      bytes += Utf8.length(name);
      if (bytes > maxHeaderBytes) {
        throw tooManyHeaderBytes(bytes);
      }
      Value headerValue = value.getMember(name);
      if (headerValue == null || !headerValue.isString()) {
        StringBuilder field = new StringBuilder("headers[");
        Json.quote(field, name).append(']');
        throw new InvalidResponseException(field + " must be a string, got " + describe(headerValue));
      }
      String text = headerValue.asString();
      bytes += Utf8.length(text);
      if (bytes > maxHeaderBytes) {
        throw tooManyHeaderBytes(bytes);
      }
      headers.put(name, text);
    }
    return Collections.unmodifiableMap(headers);
  }

  /** Counting stops at the first header past the limit: {@code bytes} is what was counted by then. */
  private InvalidResponseException tooManyHeaderBytes(long bytes) {
    return new InvalidResponseException("headers total at least " + bytes + " bytes; at most " + maxHeaderBytes
        + " are allowed");
  }

  private void checkBodySize(String body, boolean isBase64Encoded) throws InvalidResponseException {
    long size;
    if (isBase64Encoded) {
      try {
        size = Base64.getDecoder().decode(body).length;
      } catch (IllegalArgumentException e) {
        throw new InvalidResponseException("body is not valid base64 although isBase64Encoded is true");
      }
    } else {
      size = Utf8.length(body);
    }
    if (size > maxResponseBytes) {
      throw new InvalidResponseException("response body exceeds " + maxResponseBytes + " bytes");
    }
  }

  private static boolean absent(Value value) {
    return value == null || value.isNull();
  }

  private static boolean isObject(Value value) {
    return value != null && !value.isNull() && value.hasMembers() && !value.isString() && !value.isNumber()
        && !value.isBoolean() && !value.hasArrayElements() && !value.canExecute();
  }

  /** A short description of what was found instead, for the message. */
  private static String describe(Value value) {
    if (value == null) {
      return "undefined";
    }
    if (value.isNull()) {
      // undefined and null are both null to the polyglot API; their string forms tell them apart.
      return value.toString();
    }
    if (value.isString()) {
      return "a string";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    if (value.isNumber()) {
      return "the number " + value;
    }
    if (value.hasArrayElements()) {
      return "an array";
    }
    if (value.canExecute()) {
      return "a function";
    }
    return "an object";
  }
}
