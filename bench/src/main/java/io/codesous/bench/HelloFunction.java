package io.codesous.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * Publishes the benchmark's function through the platform's public HTTP API, the same way a user
 * would (with a bearer token), and names the URI that invokes it.
 */
final class HelloFunction {

  static final String NAMESPACE = "default";
  static final String NAME = "hello";
  static final String ALIAS = "prod";
  /** Above the highest concurrency usually measured, so the limit shapes no result. */
  static final int MAX_CONCURRENCY = 64;

  private static final String SOURCE = "export async function handler(event, ctx) { return { statusCode: 200, "
      + "headers: {'content-type':'text/plain'}, body: 'hello' }; }";
  /** One try of the first invocation; a request whose answer got lost is tried again. */
  private static final long FIRST_ANSWER_TRY_MS = 10_000;
  private static final long FIRST_ANSWER_PAUSE_MS = 250;

  private final Vertx vertx;
  private final HttpClient client;
  private final String host;
  private final int port;
  private final String tenant;
  private final CharSequence authorization;

  /** @param authorization the {@code Authorization} header value, see {@link BearerToken} */
  HelloFunction(Vertx vertx, HttpClient client, String host, int port, String tenant, CharSequence authorization) {
    this.vertx = vertx;
    this.client = client;
    this.host = host;
    this.port = port;
    this.tenant = tenant;
    this.authorization = authorization;
  }

  String invokeUri() {
    return "/v1/web/" + tenant + "/" + NAMESPACE + "/" + NAME + "/" + ALIAS;
  }

  /** Creates the function, uploads its draft and publishes it under the alias. */
  Future<Void> publish() {
    return publish(new JsonObject().put("maxConcurrency", MAX_CONCURRENCY));
  }

  /** Publishes it with the manifest's {@code limits} given. */
  Future<Void> publish(JsonObject limits) {
    return publishManifest(new JsonObject().put("limits", limits));
  }

  /** Publishes it with {@code manifest}. */
  Future<Void> publishManifest(JsonObject manifest) {
    String functions = "/v1/tenants/" + tenant + "/namespaces/" + NAMESPACE + "/functions";
    JsonObject draft = new JsonObject()
        .put("files", new JsonObject().put("index.mjs", SOURCE))
        .put("manifest", manifest);
    return post(functions, new JsonObject().put("name", NAME))
        .compose(created -> post(functions + "/" + NAME + "/drafts", draft))
        .compose(uploaded -> post(functions + "/" + NAME + "/versions",
            new JsonObject().put("draft_id", uploaded.getString("draft_id")).put("alias", ALIAS)))
        .mapEmpty();
  }

  /**
   * Invokes the function until it answers 2xx. A process that reports ready may still be joining
   * the cluster or its consumer group, and a result sent before the gateway is known to the
   * invoker is dropped; the measured runs should not start before the whole path works.
   */
  Future<Void> awaitFirstAnswer(Duration patience) {
    Promise<Void> answered = Promise.promise();
    tryInvoke(System.nanoTime() + patience.toNanos(), null, answered);
    return answered.future();
  }

  private void tryInvoke(long deadlineNanos, String lastProblem, Promise<Void> answered) {
    if (System.nanoTime() - deadlineNanos > 0) {
      answered.fail("the function never answered 2xx; last: " + lastProblem);
      return;
    }
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
        .setURI(invokeUri()).setIdleTimeout(FIRST_ANSWER_TRY_MS).putHeader(HttpHeaders.AUTHORIZATION, authorization);
    HttpExchange.send(client, request).onComplete(answer -> {
      if (answer.succeeded() && answer.result().status() / 100 == 2) {
        answered.complete();
        return;
      }
      String problem = answer.failed() ? answer.cause().toString()
          : "HTTP " + answer.result().status() + ": " + answer.result().body();
      vertx.setTimer(FIRST_ANSWER_PAUSE_MS, id -> tryInvoke(deadlineNanos, problem, answered));
    });
  }

  private Future<JsonObject> post(String uri, JsonObject body) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
        .setURI(uri).putHeader("content-type", "application/json")
        .putHeader(HttpHeaders.AUTHORIZATION, authorization);
    return client.request(request)
        .compose(req -> req.send(body.toBuffer()))
        .compose(resp -> resp.body().compose(answer -> expectSuccess(uri, resp.statusCode(), answer)));
  }

  private static Future<JsonObject> expectSuccess(String uri, int status, Buffer answer) {
    if (status / 100 != 2) {
      return Future.failedFuture("POST " + uri + " answered " + status + ": " + answer);
    }
    return Future.succeededFuture(answer.length() == 0 ? new JsonObject() : answer.toJsonObject());
  }
}
