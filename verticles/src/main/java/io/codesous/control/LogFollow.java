package io.codesous.control;

import io.codesous.spec.model.ActivationRecord;
import io.codesous.store.ActivationStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;

/**
 * {@code GET .../activations/{id}/logs?follow=true}: an NDJSON stream (one JSON object a line, chunked) of an
 * activation's log entries that ends when the activation is terminal. The invoker stores an activation's entries
 * when it ends, so they arrive in one burst then, each as a line {@code {"seq","ts_ms","level","message"}}; the
 * last line is {@code {"activation_id","status","truncated","done":true}}. A follow that outlasts
 * {@link #MAX_FOLLOW_MS} ends with {@code "done": false} and the status then, so the client follows again.
 *
 * <p>The first read of the record happens before any byte is sent, so an unknown activation is the usual 404
 * error body; afterwards a failed read ends the stream with a line {@code {"error": {...}}}. Reading stops when
 * the client goes away.
 */
final class LogFollow {

  static final String NDJSON = "application/x-ndjson";
  /** Longer than any activation's budgets (timeout plus init are capped well below it). */
  static final long MAX_FOLLOW_MS = 10 * 60_000;

  /** Ends the polling once the client closed the stream; nothing is written after it. */
  private static final IllegalStateException GONE = new IllegalStateException("the client closed the stream") {
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  };

  private final ActivationStore activations;
  private final ActivationWait wait;

  LogFollow(ActivationStore activations, ActivationWait wait) {
    this.activations = Objects.requireNonNull(activations, "activations");
    this.wait = Objects.requireNonNull(wait, "wait");
  }

  void follow(RoutingContext ctx, String tenant, String namespace, String id) {
    activations.get(tenant, namespace, id).onFailure(ctx::fail).onSuccess(first -> {
      HttpServerResponse response = ctx.response().setChunked(true)
          .putHeader("content-type", NDJSON)
          .putHeader("cache-control", "no-store");
      response.setStatusCode(200);
      response.writeHead();
      Future<ActivationRecord> ended = first.status().terminal() ? Future.succeededFuture(first)
          : wait.until(() -> response.closed() ? Future.failedFuture(GONE)
              : activations.get(tenant, namespace, id), MAX_FOLLOW_MS);
      ended.compose(record -> record.status().terminal()
              ? page(response, tenant, namespace, id, 0).map(record) : Future.succeededFuture(record))
          .onSuccess(record -> {
            if (!response.closed()) {
              response.end(new JsonObject().put("activation_id", id).put("status", record.status().wire())
                  .put("truncated", record.logs().truncated()).put("done", record.status().terminal()).encode()
                  + "\n");
            }
          })
          .onFailure(failure -> {
            if (!response.closed()) {
              response.end(new JsonObject().put("error", new JsonObject().put("code", "CS_UNAVAILABLE")
                  .put("message", "the activation could not be read")).encode() + "\n");
            }
          });
    });
  }

  /** Writes the entries from {@code from} on, a page at a time, so a long log is never held whole. */
  private Future<Void> page(HttpServerResponse response, String tenant, String namespace, String id, int from) {
    if (response.closed()) {
      return Future.succeededFuture();
    }
    return activations.logs(tenant, namespace, id, from, ActivationStore.LOG_CHUNK_ENTRIES).compose(page -> {
      StringBuilder lines = new StringBuilder();
      page.getJsonArray("logs").forEach(entry -> lines.append(((JsonObject) entry).encode()).append('\n'));
      Integer next = page.getInteger("next");
      return response.write(lines.toString())
          .compose(written -> next == null ? Future.succeededFuture() : page(response, tenant, namespace, id, next));
    });
  }
}
