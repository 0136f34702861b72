package io.codesous.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;

/**
 * The baseline: a Vert.x HTTP server that answers "hi" to everything, with nothing behind it.
 * Deployed once per event loop like the platform's API server, so the difference between the
 * two is what the platform adds per request.
 */
final class BareHttpServer extends VerticleBase {

  private final String host;
  private final int port;

  BareHttpServer(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(req -> req.response().putHeader("content-type", "text/plain").end("hi"))
        .listen();
  }
}
