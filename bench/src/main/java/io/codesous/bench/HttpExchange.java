package io.codesous.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;

/** One request sent and its answer read to the end: a latency sample ends with the last body byte. */
record HttpExchange(int status, String body) {

  static Future<HttpExchange> send(HttpClient client, RequestOptions request) {
    return client.request(request)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> new HttpExchange(resp.statusCode(), body.toString())));
  }
}
