package io.codesous.egress;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server on a loopback address and a random port, with the routes the tests need. It
 * records every request it sees, so a test can assert that a refused fetch never arrived.
 */
final class TestServer {

  private final Vertx vertx;
  private final HttpServer server;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Promise<Void>> connectionClosed = new ConcurrentHashMap<>();

  private TestServer(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  static TestServer start(Vertx vertx, String loopbackHost) throws Exception {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(loopbackHost));
    TestServer testServer = new TestServer(vertx, server);
    server.requestHandler(testServer::handle);
    server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return testServer;
  }

  int port() {
    return server.actualPort();
  }

  /** Method and URI of every request received, in order. */
  List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  void forgetRequests() {
    requests.clear();
  }

  /** Completes when the connection that carried a request to this path closes. */
  Future<Void> closedAfter(String path) {
    return connectionClosed.computeIfAbsent(path, p -> Promise.promise()).future();
  }

  void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void handle(HttpServerRequest request) {
    requests.add(request.method() + " " + request.uri());
    String path = request.path();
    Promise<Void> closed = connectionClosed.computeIfAbsent(path, p -> Promise.promise());
    request.connection().closeHandler(v -> closed.tryComplete());
    if (path.equals("/echo")) {
      request.body().onSuccess(body -> echo(request, body));
    } else if (path.equals("/headers")) {
      request.response()
          .putHeader("X-Multi", (Iterable<String>) List.of("a", "b"))
          .putHeader("Content-Type", "text/plain")
          .setStatusMessage("Fine")
          .end("hello");
    } else if (path.equals("/redirect")) {
      int status = Integer.parseInt(param(request, "status", "302"));
      request.response().setStatusCode(status).putHeader("Location", request.getParam("to"))
          .end("moved");
    } else if (path.startsWith("/chain/")) {
      int step = Integer.parseInt(path.substring("/chain/".length()));
      int end = Integer.parseInt(param(request, "end", "1000000"));
      String delay = request.getParam("delay");
      Runnable answer = () -> {
        if (step < end) {
          // relative Location: resolved against the current URL by the client
          request.response().setStatusCode(302).putHeader("Location",
              (step + 1) + "?end=" + end + (delay == null ? "" : "&delay=" + delay)).end();
        } else {
          request.response().end("end of chain at " + step);
        }
      };
      if (delay == null) {
        answer.run();
      } else {
        vertx.setTimer(Long.parseLong(delay), id -> answer.run());
      }
    } else if (path.startsWith("/bytes/")) {
      int count = Integer.parseInt(path.substring("/bytes/".length()));
      request.response().end(Buffer.buffer(new byte[count]));
    } else if (path.equals("/stream-forever")) {
      // chunked, never ends: only a client that counts as it reads can stop this
      request.response().setChunked(true);
      long timer = vertx.setPeriodic(10, id -> {
        if (!request.response().closed()) {
          request.response().write(Buffer.buffer(new byte[16 * 1024]));
        }
      });
      closed.future().onComplete(v -> vertx.cancelTimer(timer));
    } else if (path.equals("/declared-huge")) {
      request.response().putHeader("Content-Length", "100000000")
          .write(Buffer.buffer(new byte[100]));
    } else if (path.equals("/silent")) {
      // never answers
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  private static void echo(HttpServerRequest request, Buffer body) {
    JsonObject headers = new JsonObject();
    request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
    request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
        .put("method", request.method().name())
        .put("uri", request.uri())
        .put("host", request.getHeader("Host"))
        .put("hostHeaders", request.headers().getAll("Host").size())
        .put("headers", headers)
        .put("body", body.toString())
        .encode());
  }

  private static String param(HttpServerRequest request, String name, String fallback) {
    String value = request.getParam(name);
    return value == null ? fallback : value;
  }
}
