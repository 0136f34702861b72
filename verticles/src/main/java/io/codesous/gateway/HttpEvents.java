package io.codesous.gateway;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Translation of an HTTP request into the function contract's Lambda-proxy-shaped event; the way back is
 * {@link WebAnswer}.
 */
public final class HttpEvents {

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
    String sourceIp = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    return event(request.method().name(), request.path(), request.headers(), queryParams, proxyPath, body, requestId,
        activationId, sourceIp);
  }

  /**
   * The event of a web call given as its request line, headers and body, with no connection (so no source address):
   * the event {@code cs run} hands a function. {@code uri} is the call's path and query, starting with
   * {@code /v1/web/{tenant}/{namespace}/{function}/{ref}}.
   */
  public static JsonObject event(String method, String uri, MultiMap headers, Buffer body, String requestId,
                                 String activationId) {
    QueryStringDecoder decoded = new QueryStringDecoder(uri, StandardCharsets.UTF_8);
    MultiMap query = MultiMap.caseInsensitiveMultiMap();
    decoded.parameters().forEach(query::add);
    WebPath parsed = WebPath.parse(decoded.rawPath());
    String proxyPath = parsed == null ? "/" : parsed.proxyPath(decoded.rawPath());
    return event(method, decoded.rawPath(), headers, query, proxyPath, body, requestId, activationId, null);
  }

  private static JsonObject event(String method, String path, MultiMap requestHeaders, MultiMap queryParams,
                                  String proxyPath, Buffer body, String requestId, String activationId,
                                  String sourceIp) {
    JsonObject headers = new JsonObject();
    JsonObject multiHeaders = new JsonObject();
    collect(requestHeaders, headers, multiHeaders, true);
    CONSUMED.forEach(name -> {
      headers.remove(name);
      multiHeaders.remove(name);
    });
    JsonObject query = new JsonObject();
    JsonObject multiQuery = new JsonObject();
    // the query string only: the router's params also hold path parameters and form fields
    collect(queryParams, query, multiQuery, false);
    JsonObject event = new JsonObject()
        .put("httpMethod", method)
        .put("method", method)
        .put("path", path)
        .put("proxyPath", proxyPath)
        .put("headers", headers)
        .put("multiValueHeaders", multiHeaders)
        .put("queryStringParameters", query)
        .put("query", query)
        .put("multiValueQueryStringParameters", multiQuery);
    String text = body == null || body.length() == 0 ? null : asText(requestHeaders.get("content-type"), body);
    if (body == null || body.length() == 0) {
      event.putNull("body").put("isBase64Encoded", false);
    } else if (text != null) {
      event.put("body", text).put("isBase64Encoded", false);
    } else {
      event.put("body", Base64.getEncoder().encodeToString(body.getBytes())).put("isBase64Encoded", true);
    }
    event.put("requestContext", new JsonObject()
        .put("requestId", requestId)
        .put("activationId", activationId)
        .put("http", new JsonObject().put("method", method).put("path", path).put("sourceIp", sourceIp)));
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
}
