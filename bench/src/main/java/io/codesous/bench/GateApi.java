package io.codesous.bench;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The public API calls the load gate makes, as a user's client would, with the admin token. */
final class GateApi {

  static final String NAMESPACE = "default";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      // HTTP/1.1 keep-alive, as the other benchmarks load the platform (no h2c upgrade)
      .version(HttpClient.Version.HTTP_1_1).build();
  private final String base;
  private final String token;
  private final String tenant;

  GateApi(String base, String token, String tenant) {
    this.base = base;
    this.token = token;
    this.tenant = tenant;
  }

  String tenant() {
    return tenant;
  }

  String namespacePath() {
    return "/v1/tenants/" + tenant + "/namespaces/" + NAMESPACE;
  }

  /** Creates the function, uploads its one file and publishes it as {@code prod}. */
  void deploy(String function, String source) throws Exception {
    String functions = namespacePath() + "/functions";
    expect(201, send("POST", functions, new JsonObject().put("name", function)));
    JsonObject draft = new JsonObject(expect(201, send("POST", functions + "/" + function + "/drafts",
        new JsonObject().put("files", new JsonObject().put("index.mjs", source))
            .put("manifest", new JsonObject().put("limits", new JsonObject().put("maxConcurrency", 64))))).body());
    expect(201, send("POST", functions + "/" + function + "/versions",
        new JsonObject().put("draft_id", draft.getString("draft_id")).put("alias", "prod")));
  }

  CompletableFuture<HttpResponse<String>> invoke(String function) {
    return client.sendAsync(request("GET", "/v1/web/" + tenant + "/" + NAMESPACE + "/" + function + "/prod", null),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonObject schedule(String name) throws Exception {
    return new JsonObject(expect(200, send("GET", namespacePath() + "/schedules/" + name, null)).body());
  }

  /** The activation ids of the schedule's fired ticks among its newest 50, all a schedule keeps (ScheduleApi refuses more). */
  List<String> firedTicks(String name) throws Exception {
    JsonObject ticks = new JsonObject(expect(200, send("GET", namespacePath() + "/schedules/" + name + "/ticks?limit=50", null)).body());
    List<String> ids = new ArrayList<>();
    for (Object tick : ticks.getJsonArray("ticks")) {
      String id = ((JsonObject) tick).getString("activation_id");
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  HttpResponse<String> send(String method, String path, JsonObject body) throws Exception {
    return client.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String method, String path, JsonObject body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
        .header("authorization", "Bearer " + token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    return request.build();
  }

  static HttpResponse<String> expect(int status, HttpResponse<String> response) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(response.request().method() + " " + response.uri().getPath() + " answered "
          + response.statusCode() + ": " + response.body());
    }
    return response;
  }
}
