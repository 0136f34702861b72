package io.codesous.platform;

import io.codesous.codeq.CodeQ;
import io.codesous.kv.KvStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;

/** {@code /healthz}: the process is alive. {@code /readyz}: its KV and queue answer. */
public final class Health {

  private final KvStore kv;
  private final CodeQ codeq;

  public Health(KvStore kv, CodeQ codeq) {
    this.kv = Objects.requireNonNull(kv, "kv");
    this.codeq = Objects.requireNonNull(codeq, "codeq");
  }

  public void mount(Router router) {
    router.get("/healthz").handler(ctx -> send(ctx, 200, new JsonObject().put("status", "ok")));
    router.get("/readyz").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    Future<Void> kvPing = kv.ping();
    Future<Void> queuePing = codeq.ping();
    Future.join(kvPing, queuePing).onComplete(ar -> {
      JsonObject checks = new JsonObject()
          .put("kv", kvPing.succeeded() ? "ok" : "unavailable")
          .put("codeq", queuePing.succeeded() ? "ok" : "unavailable");
      boolean ready = kvPing.succeeded() && queuePing.succeeded();
      send(ctx, ready ? 200 : 503, new JsonObject().put("status", ready ? "ready" : "not_ready").put("checks", checks));
    });
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
