package io.codesous.platform;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small blocking HTTP client for tests that drive a running platform from the test thread. */
final class TestHttp {

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  /** @param token sent as {@code Authorization: Bearer} unless a request sets its own; {@code null} for none */
  TestHttp(String host, int port, String token) {
    this.base = "http://" + host + ":" + port;
    this.token = token;
  }

  /** The same server, another caller. */
  TestHttp as(String otherToken) {
    return new TestHttp(base, otherToken);
  }

  private TestHttp(String base, String token) {
    this.base = base;
    this.token = token;
  }

  HttpResponse<String> send(String method, String path, String contentType, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    headers.forEach(b::header);
    if (token != null && headers.keySet().stream().noneMatch("authorization"::equalsIgnoreCase)) {
      b.header("authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("content-type", contentType);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String path) {
    return send("GET", path, null, null, Map.of());
  }

  HttpResponse<String> delete(String path) {
    return send("DELETE", path, null, null, Map.of());
  }

  HttpResponse<String> postJson(String path, JsonObject body) {
    return send("POST", path, "application/json", body.encode(), Map.of());
  }

  HttpResponse<String> putJson(String path, JsonObject body) {
    return send("PUT", path, "application/json", body.encode(), Map.of());
  }

  static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }
}
