package io.codesous.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * The process's meter registry, in the Prometheus format, with the JVM's own meters bound to it. One per process:
 * every component registers into it and the management listener serves it at {@code /metrics}.
 */
public final class Metrics implements AutoCloseable {

  /** The Prometheus text exposition format, version 0.0.4. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public Metrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    gc.bindTo(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The scrape as Prometheus reads it. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * Answers {@code GET /metrics}. The scrape walks every meter, milliseconds of CPU with many series: it runs on a
   * worker thread, not the event loop.
   */
  public void serve(Vertx vertx, RoutingContext ctx) {
    vertx.executeBlocking(registry::scrape, false).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader("content-type", CONTENT_TYPE).end(ar.result());
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
