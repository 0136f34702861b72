package io.codesous.platform;

import io.codesous.codeq.CodeQ;
import io.codesous.http.JsonBodies;
import io.codesous.kv.KvStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz}: the process is alive. {@code /readyz}: its KV and queue answer; a process that runs the
 * scheduler also says whether it is the {@code leader} or a {@code standby} (both are ready); one that runs the
 * Cadence poller is ready only while Cadence answers too.
 */
public final class Health {

  private final KvStore kv;
  private final CodeQ codeq;
  private final BooleanSupplier schedulerLeads;
  private final Supplier<Future<Void>> cadencePing;

  public Health(KvStore kv, CodeQ codeq) {
    this(kv, codeq, null, null);
  }

  /**
   * @param schedulerLeads whether this process's scheduler leads, or {@code null} when it runs none
   * @param cadencePing    a round trip to Cadence, or {@code null} when the process runs no Cadence poller
   */
  public Health(KvStore kv, CodeQ codeq, BooleanSupplier schedulerLeads, Supplier<Future<Void>> cadencePing) {
    this.kv = Objects.requireNonNull(kv, "kv");
    this.codeq = Objects.requireNonNull(codeq, "codeq");
    this.schedulerLeads = schedulerLeads;
    this.cadencePing = cadencePing;
  }

  public void mount(Router router) {
    router.get("/healthz").handler(ctx -> send(ctx, 200, new JsonObject().put("status", "ok")));
    router.get("/readyz").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    Future<Void> kvPing = kv.ping();
    Future<Void> queuePing = codeq.ping();
    Future<Void> cadence = cadencePing == null ? Future.succeededFuture() : cadencePing.get();
    Future.join(kvPing, queuePing, cadence).onComplete(ar -> {
      JsonObject checks = new JsonObject()
          .put("kv", kvPing.succeeded() ? "ok" : "unavailable")
          .put("codeq", queuePing.succeeded() ? "ok" : "unavailable");
      if (schedulerLeads != null) {
        checks.put("scheduler", schedulerLeads.getAsBoolean() ? "leader" : "standby");
      }
      if (cadencePing != null) {
        checks.put("cadence", cadence.succeeded() ? "ok" : "unavailable");
      }
      boolean ready = kvPing.succeeded() && queuePing.succeeded() && cadence.succeeded();
      JsonObject body = new JsonObject().put("status", ready ? "ready" : "not_ready").put("checks", checks);
      if (!ready) {
        // the adapters' messages name the address and what failed, never a credential
        JsonObject errors = new JsonObject();
        if (kvPing.failed()) {
          errors.put("kv", String.valueOf(kvPing.cause().getMessage()));
        }
        if (queuePing.failed()) {
          errors.put("codeq", String.valueOf(queuePing.cause().getMessage()));
        }
        if (cadence.failed()) {
          errors.put("cadence", String.valueOf(cadence.cause().getMessage()));
        }
        body.put("errors", errors);
      }
      send(ctx, ready ? 200 : 503, body);
    });
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(JsonBodies.line(body));
  }
}
