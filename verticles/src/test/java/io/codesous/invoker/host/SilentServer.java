package io.codesous.invoker.host;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.concurrent.TimeUnit;

/**
 * An HTTP server on 127.0.0.1 that takes requests and never answers them, so that only the client can end an
 * exchange; it reports when a request arrived and when its connection closed.
 */
public final class SilentServer implements AutoCloseable {

  private final HttpServer server;
  private final Promise<Void> requested = Promise.promise();
  private final Promise<Void> closed = Promise.promise();

  private SilentServer(HttpServer server) {
    this.server = server;
  }

  public static SilentServer start(Vertx vertx) throws Exception {
    HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"));
    SilentServer silent = new SilentServer(http);
    http.requestHandler(request -> {
      request.connection().closeHandler(v -> silent.closed.tryComplete());
      silent.requested.tryComplete();
    });
    http.listen(0).await(10, TimeUnit.SECONDS);
    return silent;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** Completes once a request has arrived. */
  public Future<Void> requested() {
    return requested.future();
  }

  /** Completes once the connection that carried the request has closed. */
  public Future<Void> connectionClosed() {
    return closed.future();
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }
}
