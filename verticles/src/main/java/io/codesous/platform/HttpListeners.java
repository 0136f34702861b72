package io.codesous.platform;

import io.codesous.gateway.Gateway;
import io.codesous.http.Authentication;
import io.codesous.observe.Metrics;
import io.codesous.observe.ObservabilityOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.function.Supplier;

/**
 * The HTTP listeners of one process: the API server on every event loop asked for, each with a gateway of its own,
 * and the management listener apart from the API.
 */
final class HttpListeners {

  private final Vertx vertx;
  private final PlatformOptions options;
  private final Health health;
  private int port;
  private int managementPort = -1;

  HttpListeners(Vertx vertx, PlatformOptions options, Health health) {
    this.vertx = vertx;
    this.options = options;
    this.health = health;
  }

  /**
   * Deploys the API server instances; the future carries the deployment's id once they listen.
   *
   * @param gateways a new gateway for each instance, or {@code null} when this process runs no gateway
   * @param control  the control APIs, or {@code null} when this process runs no control component
   */
  Future<String> deployApi(Authentication authentication, Supplier<Gateway> gateways, ControlPlane control) {
    int instances = options.getPort() == 0 ? 1 : options.getHttpInstances();
    ApiServerVerticle[] first = new ApiServerVerticle[1];
    return vertx.deployVerticle(() -> {
      // one gateway per HTTP event loop, with a reply route of its own: results reach the loop that
      // holds the request directly
      Gateway gateway = gateways == null ? null : gateways.get();
      ApiServerVerticle server = new ApiServerVerticle(options.getHost(), options.getPort(), router -> {
        health.mount(router);
        // every API route, and only those, needs a token; health stays open for probes
        router.route("/v1/*").handler(authentication);
        // the gateway before the control API: a web request is then matched by one prefix route, without
        // first trying every control route's pattern (no control path starts with /v1/web/)
        if (gateway != null) {
          gateway.mount(router);
        }
        if (control != null) {
          control.mount(router);
        }
      }, gateway == null ? List.of() : List.of(gateway));
      if (first[0] == null) {
        first[0] = server;
      }
      return server;
    }, new DeploymentOptions().setInstances(instances)).onSuccess(id -> port = first[0].actualPort());
  }

  /** {@code /metrics}, {@code /healthz} and {@code /readyz} on the management address, apart from the API. */
  Future<String> deployManagement(Metrics metrics) {
    ObservabilityOptions observability = options.getObservability();
    ApiServerVerticle server = new ApiServerVerticle(observability.getManagementHost(),
        observability.getManagementPort(), router -> {
          health.mount(router);
          router.get("/metrics").handler(ctx -> metrics.serve(vertx, ctx));
        }, List.of());
    return vertx.deployVerticle(server).onSuccess(id -> managementPort = server.actualPort());
  }

  int port() {
    return port;
  }

  /** The management listener's port, or -1 when it is not deployed. */
  int managementPort() {
    return managementPort;
  }
}
