package io.codesous.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The HTTP server's meters as Vert.x calls them for one request, on vertx-micrometer's meters behind the guard: a
 * connection Vert.x gave no socket meter (accepted between a server's bind and the creation of its meters) is served
 * without a meter touched, and every other one is counted as before. That the platform's own server still gets
 * Vert.x's HTTP meters through the guard is {@code MetricsEndpointTest}'s.
 */
class GuardedServerMetricsTest {

  private static final SocketAddress CLIENT = SocketAddress.inetSocketAddress(52000, "127.0.0.1");
  private static final HttpRequest REQUEST = new Request();
  private static final HttpResponse RESPONSE = new Response();

  private MeterRegistry registry;
  private HttpServerMetrics<Object, Object, Object> server;

  @BeforeEach
  @SuppressWarnings("unchecked")
  void guardedMicrometerMeters() {
    registry = new SimpleMeterRegistry();
    VertxMetrics metrics = new GuardedServerMetrics(new MicrometerMetricsFactory(registry))
        .metrics(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)));
    server = (HttpServerMetrics<Object, Object, Object>) metrics.createHttpServerMetrics(new HttpServerOptions(),
        SocketAddress.inetSocketAddress(8080, "127.0.0.1"));
  }

  @Test
  void aRequestOnAConnectionWithoutASocketMeterIsServedAndNotCounted() {
    Object request = server.requestBegin(null, REQUEST);
    server.requestRouted(request, "/healthz");
    server.requestEnd(request, REQUEST, 0);
    server.responseBegin(request, RESPONSE);
    server.responseEnd(request, RESPONSE, 12);
    server.bytesRead(null, CLIENT, 80);
    server.bytesWritten(null, CLIENT, 120);
    server.exceptionOccurred(null, CLIENT, new IllegalStateException("reset"));
    server.disconnected(null, CLIENT);

    assertNull(request, "no request meter without a socket meter");
    assertEquals(0, requestsCounted());
  }

  @Test
  void aRequestOnAConnectionWithASocketMeterIsCountedByTheDelegate() {
    Object socket = server.connected(CLIENT, null);
    Object request = server.requestBegin(socket, REQUEST);
    server.requestEnd(request, REQUEST, 0);
    server.responseBegin(request, RESPONSE);
    server.responseEnd(request, RESPONSE, 12);
    server.disconnected(socket, CLIENT);

    assertNotNull(request);
    assertEquals(1, requestsCounted());
  }

  private double requestsCounted() {
    return registry.find("vertx.http.server.requests").counters().stream().mapToDouble(Counter::count).sum();
  }

  private static final class Request implements HttpRequest {
    @Override
    public int id() {
      return 1;
    }

    @Override
    public String uri() {
      return "/healthz";
    }

    @Override
    public String absoluteURI() {
      return "http://127.0.0.1:8080/healthz";
    }

    @Override
    public HttpMethod method() {
      return HttpMethod.GET;
    }

    @Override
    public MultiMap headers() {
      return MultiMap.caseInsensitiveMultiMap();
    }

    @Override
    public SocketAddress remoteAddress() {
      return CLIENT;
    }
  }

  private static final class Response implements HttpResponse {
    @Override
    public int statusCode() {
      return 200;
    }

    @Override
    public MultiMap headers() {
      return MultiMap.caseInsensitiveMultiMap();
    }
  }
}
