package io.codesous.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Translation between HTTP and the function contract: the request becomes a Lambda-proxy-shaped
 * event, the function's response becomes the HTTP response.
 */
final class HttpEvents {

  /**
   * Request headers the platform consumed and a function must not see: the caller's platform token
   * would let the function's code act as the caller.
   */
  private static final Set<String> CONSUMED = Set.of("authorization");

  private HttpEvents() {
  }

  /**
   * The event a function receives. Member names follow the Lambda proxy integration
   * ({@code httpMethod}, {@code queryStringParameters}, ...), plus {@code proxyPath} (the part of
   * the path after the ref) and the short aliases {@code method} and {@code query}. The
   * {@code authorization} header is left out of both header maps.
   */
  static JsonObject event(HttpServerRequest request, MultiMap queryParams, String proxyPath, Buffer body,
                          String requestId, String activationId) {
    JsonObject headers = new JsonObject();
    JsonObject multiHeaders = new JsonObject();
    collect(request.headers(), headers, multiHeaders, true);
    CONSUMED.forEach(name -> {
      headers.remove(name);
      multiHeaders.remove(name);
    });
    JsonObject query = new JsonObject();
    JsonObject multiQuery = new JsonObject();
    // the query string only: the router's params also hold path parameters and form fields
    collect(queryParams, query, multiQuery, false);
    JsonObject event = new JsonObject()
        .put("httpMethod", request.method().name())
        .put("method", request.method().name())
        .put("path", request.path())
        .put("proxyPath", proxyPath)
        .put("headers", headers)
        .put("multiValueHeaders", multiHeaders)
        .put("queryStringParameters", query)
        .put("query", query)
        .put("multiValueQueryStringParameters", multiQuery);
    String text = body == null || body.length() == 0 ? null : asText(request.getHeader("content-type"), body);
    if (body == null || body.length() == 0) {
      event.putNull("body").put("isBase64Encoded", false);
    } else if (text != null) {
      event.put("body", text).put("isBase64Encoded", false);
    } else {
      event.put("body", Base64.getEncoder().encodeToString(body.getBytes())).put("isBase64Encoded", true);
    }
    String sourceIp = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    event.put("requestContext", new JsonObject()
        .put("requestId", requestId)
        .put("activationId", activationId)
        .put("http", new JsonObject().put("method", request.method().name()).put("path", request.path())
            .put("sourceIp", sourceIp)));
    return event;
  }

  private static void collect(MultiMap from, JsonObject single, JsonObject multi, boolean lowerCase) {
    for (String name : from.names()) {
      String key = lowerCase ? name.toLowerCase(Locale.ROOT) : name;
      JsonArray values = new JsonArray(from.getAll(name));
      multi.put(key, values);
      // Lambda keeps the last value of a repeated query parameter and joins repeated headers
      single.put(key, lowerCase ? String.join(",", from.getAll(name)) : values.getString(values.size() - 1));
    }
  }

  /** The body as text when its media type is textual and its bytes are valid UTF-8, else {@code null}. */
  private static String asText(String contentType, Buffer body) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    boolean textual = type.startsWith("text/") || type.contains("json") || type.contains("xml")
        || type.contains("javascript") || type.startsWith("application/x-www-form-urlencoded");
    if (!textual) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body.getBytes()))
          .toString();
    } catch (CharacterCodingException notUtf8) {
      return null;
    }
  }

  /**
   * Writes a validated function response ({@code {statusCode, headers, body, isBase64Encoded}}); its headers pass
   * {@code rules} first.
   */
  static void respond(HttpServerResponse response, JsonObject fnResponse, ResponseHeaderRules rules) {
    Integer status = fnResponse.getInteger("statusCode");
    // the sandbox and the results schema refuse a 1xx already; written as the answer, one would desynchronise the
    // caller's connection, so the last step before the wire does not rely on them
    if (status == null || status < 200 || status > 599) {
      throw new IllegalArgumentException("statusCode " + status + " is not a final status");
    }
    response.setStatusCode(status);
    for (Map.Entry<String, String> header : rules.apply(fnResponse.getJsonObject("headers", new JsonObject()))) {
      if (header.getKey().equalsIgnoreCase("set-cookie")) {
        // a function may send Set-Cookie and set-cookie: each is one cookie, both are kept
        response.headers().add(header.getKey(), header.getValue());
      } else {
        response.putHeader(header.getKey(), header.getValue());
      }
    }
    String body = fnResponse.getString("body", "");
    Buffer bytes = fnResponse.getBoolean("isBase64Encoded", false)
        ? Buffer.buffer(Base64.getDecoder().decode(body))
        : Buffer.buffer(body, "UTF-8");
    response.end(bytes);
  }
}
