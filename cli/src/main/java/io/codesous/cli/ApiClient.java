package io.codesous.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.vertx.core.json.JsonObject;

/**
 * A small blocking client for the code-sous HTTP API, on the JDK's {@link HttpClient} so the CLI
 * needs nothing beyond what the server already ships.
 *
 * <p>It speaks HTTP/1.1 only: the server does not offer h2c, and the JDK client would otherwise try
 * an upgrade on every plain-HTTP request.
 */
final class ApiClient {

  /** Generous: a web invocation waits for the function (the gateway's wait is 60 s by default). */
  static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(3);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** One answer: status, headers and the raw body. */
  record Response(int status, HttpHeaders headers, byte[] body) {

    boolean ok() {
      return status >= 200 && status < 300;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  private final URI base;
  private final Optional<TokenSource.Token> token;
  private final HttpClient http;

  ApiClient(URI base, Optional<TokenSource.Token> token) {
    this.base = base;
    this.token = token;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  URI base() {
    return base;
  }

  /** Where the token came from, if there is one. */
  Optional<String> tokenOrigin() {
    return token.map(TokenSource.Token::origin);
  }

  Response get(String path) throws CliException {
    return send("GET", path, null, null);
  }

  Response delete(String path) throws CliException {
    return send("DELETE", path, null, null);
  }

  Response postJson(String path, JsonObject body) throws CliException {
    return send("POST", path, body.encode().getBytes(StandardCharsets.UTF_8), "application/json");
  }

  Response putJson(String path, JsonObject body) throws CliException {
    return send("PUT", path, body.encode().getBytes(StandardCharsets.UTF_8), "application/json");
  }

  /**
   * Sends one request.
   *
   * @param path        an absolute path, with query string if any (already encoded)
   * @param body        the body, or null for none
   * @param contentType the body's media type, or null
   */
  Response send(String method, String path, byte[] body, String contentType) throws CliException {
    return sendWithHeaders(method, path, body, contentType == null ? Map.of() : Map.of("content-type", contentType));
  }

  /**
   * Sends one request with the given headers (names lower-case); a body without a {@code content-type} header is
   * sent as {@code cs invoke} sends {@code --data}: JSON when it looks like JSON, else text.
   */
  Response sendWithHeaders(String method, String path, byte[] body, Map<String, String> headers)
      throws CliException {
    URI uri;
    try {
      uri = URI.create(base + path);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("not a valid request path: " + path);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(REQUEST_TIMEOUT)
        .method(method.toUpperCase(Locale.ROOT),
            body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      headers.forEach(request::header);
    } catch (IllegalArgumentException refused) {
      throw CliException.usage("a header the HTTP client refuses to send: " + refused.getMessage());
    }
    if (body != null && !headers.containsKey("content-type")) {
      request.header("content-type", InvokeCommand.guessType(body));
    }
    token.ifPresent(t -> request.header("authorization", "Bearer " + t.value()));
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot reach " + base + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.FAILED, "interrupted", e);
    }
  }

  /**
   * Sends a GET whose answer is a stream of lines (NDJSON), handing each line to {@code line} as it arrives; no
   * overall timeout, since a followed stream lasts as long as what it follows. An error status is answered whole,
   * like {@link #send}; a success's body is already consumed (empty).
   */
  Response streamLines(String path, java.util.function.Consumer<String> line) throws CliException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    token.ifPresent(t -> request.header("authorization", "Bearer " + t.value()));
    try {
      HttpResponse<java.util.stream.Stream<String>> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      if (response.statusCode() / 100 != 2) {
        String text = String.join("\n", response.body().toList());
        return new Response(response.statusCode(), response.headers(), text.getBytes(StandardCharsets.UTF_8));
      }
      try (java.util.stream.Stream<String> lines = response.body()) {
        lines.filter(l -> !l.isBlank()).forEach(line);
      }
      return new Response(response.statusCode(), response.headers(), new byte[0]);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new CliException(CliException.FAILED, "cannot reach " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.FAILED, "interrupted", e);
    }
  }

  /** Percent-encodes one path segment, so a name can never add segments or a query. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code /v1/tenants/{tenant}/namespaces/{namespace}}, encoded. */
  static String namespacePath(String tenant, String namespace) {
    return "/v1/tenants/" + segment(tenant) + "/namespaces/" + segment(namespace);
  }

  /** The first message down the cause chain: the JDK client often wraps the useful one. */
  private static String describe(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }
}
