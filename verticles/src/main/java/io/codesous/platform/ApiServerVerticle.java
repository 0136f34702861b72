package io.codesous.platform;

import io.codesous.component.Lifecycle;
import io.codesous.http.HttpErrors;
import io.codesous.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One HTTP server instance (deploy one per event loop). Every route gets a request id first;
 * unknown routes and all failures end in the catalog's error body. Components of its own (a gateway) start on
 * its event loop before it listens and stop with it.
 */
public final class ApiServerVerticle extends VerticleBase {

  private final String host;
  private final int port;
  private final Consumer<Router> routes;
  private final List<Lifecycle> components;
  private HttpServer server;

  /**
   * @param routes     mounts the components' routes (called once per instance)
   * @param components this instance's own components, started in order before the server listens
   */
  public ApiServerVerticle(String host, int port, Consumer<Router> routes, List<Lifecycle> components) {
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.routes = Objects.requireNonNull(routes, "routes");
    this.components = List.copyOf(components);
  }

  @Override
  public Future<?> start() {
    Future<Void> started = Future.succeededFuture();
    for (Lifecycle component : components) {
      started = started.compose(v -> component.start());
    }
    return started.compose(v -> listen());
  }

  /** Stops its components (a gateway answers its waiting requests); Vert.x then closes the server. */
  @Override
  public Future<?> stop() {
    Future<Void> stopped = Future.succeededFuture();
    for (int i = components.size() - 1; i >= 0; i--) {
      Lifecycle component = components.get(i);
      stopped = stopped.compose(v -> component.stop().recover(e -> Future.succeededFuture()));
    }
    return stopped;
  }

  private Future<HttpServer> listen() {
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    routes.accept(router);
    router.route().failureHandler(HttpErrors::handleFailure);
    // what the router answers by itself (no route, wrong method) gets the same error body
    router.errorHandler(404, HttpErrors::handleFailure);
    router.errorHandler(405, HttpErrors::handleFailure);
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
        .setCompressionSupported(false).setMaxHeaderSize(16 * 1024));
    return server.requestHandler(router).listen().recover(failure -> Future.failedFuture(addressInUse(failure)
        ? new IllegalStateException("port " + port + " on " + host + " is already in use (another code-sous or "
            + "another program listens there): stop it, or choose another port with --port N", failure)
        : failure));
  }

  /** Netty reports a taken port as a {@link java.net.BindException} (NIO) or as a native error naming it (epoll). */
  private static boolean addressInUse(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException
          || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  /** The bound port (useful when asked for port 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
