package io.codesous.control;

import io.codesous.spec.model.ActivationRecord;
import io.codesous.spec.model.ActivationStatus;
import io.codesous.store.ActivationStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;

/**
 * {@code GET .../activations/{id}/logs?follow=true}: an NDJSON stream (one JSON object a line, chunked) of an
 * activation's log entries as they are written, that ends when the activation is terminal. While it runs, the lines
 * come from the live chunks its invoker stores every quarter second ({@link ActivationStore#liveLogs}); once it
 * ended, the rest come from its stored logs, from the first entry not yet sent. Each entry is a line
 * {@code {"seq","ts_ms","level","message"}}; the last line is {@code {"activation_id","status","truncated",
 * "done":true}}. A follow that outlasts {@link #MAX_FOLLOW_MS} ends with {@code "done": false} and the status then,
 * so the client follows again. A retried activation (its invoker was lost) is followed into its new attempt, whose
 * entries start again from {@code seq} 0.
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
  private final Vertx vertx;
  private final long pollMs;

  LogFollow(ActivationStore activations, Vertx vertx, long pollMs) {
    this.activations = Objects.requireNonNull(activations, "activations");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.pollMs = pollMs;
  }

  void follow(RoutingContext ctx, String tenant, String namespace, String id) {
    activations.get(tenant, namespace, id).onFailure(ctx::fail).onSuccess(first -> {
      HttpServerResponse response = ctx.response().setChunked(true)
          .putHeader("content-type", NDJSON)
          .putHeader("cache-control", "no-store");
      response.setStatusCode(200);
      response.writeHead();
      Followed followed = new Followed(response, tenant, namespace, id,
          System.nanoTime() + MAX_FOLLOW_MS * 1_000_000L);
      Promise<ActivationRecord> ended = Promise.promise();
      step(followed, first, ended);
      ended.future()
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

  /**
   * Sends what {@code record}'s attempt wrote since the last step, then steps again after a timer until it is
   * terminal; {@code done} completes with the last record read. One promise for the whole follow, rather than a
   * future per step composed on the next, so a follow of many steps holds no chain of futures that would complete
   * through as many nested calls.
   */
  private void step(Followed f, ActivationRecord record, Promise<ActivationRecord> done) {
    if (f.response.closed()) {
      done.fail(GONE);
      return;
    }
    if (record.status().terminal()) {
      // the stored logs are the ended attempt's: what its live chunks already sent is skipped
      int from = record.attempt() == f.attempt ? f.nextSeq : 0;
      page(f, from).map(record).onComplete(done);
      return;
    }
    if (System.nanoTime() - f.deadlineNanos > 0) {
      done.complete(record);
      return;
    }
    Future<Void> sent = Future.succeededFuture();
    if (record.status() == ActivationStatus.RUNNING) {
      if (record.attempt() != f.attempt) {
        f.attempt = record.attempt();
        f.chunk = 0;
        f.nextSeq = 0;
      }
      sent = live(f);
    }
    sent.compose(v -> vertx.timer(pollMs))
        .compose(v -> f.response.closed() ? Future.failedFuture(GONE)
            : activations.get(f.tenant, f.namespace, f.id))
        .onSuccess(next -> step(f, next, done))
        .onFailure(done::fail);
  }

  /** Writes the live chunks stored since the last one read, in order. */
  private Future<Void> live(Followed f) {
    return activations.liveLogs(f.tenant, f.namespace, f.id, f.attempt, f.chunk).compose(entries -> {
      if (entries == null || f.response.closed()) {
        return Future.succeededFuture();
      }
      f.chunk++;
      StringBuilder lines = new StringBuilder();
      for (Object entry : entries) {
        JsonObject json = (JsonObject) entry;
        int seq = json.getInteger("seq", -1);
        if (seq >= f.nextSeq) {
          lines.append(json.encode()).append('\n');
          f.nextSeq = seq + 1;
        }
      }
      return (lines.isEmpty() ? Future.<Void>succeededFuture() : f.response.write(lines.toString()))
          .compose(written -> live(f));
    });
  }

  /** Writes the stored entries from {@code from} on, a page at a time, so a long log is never held whole. */
  private Future<Void> page(Followed f, int from) {
    if (f.response.closed()) {
      return Future.succeededFuture();
    }
    return activations.logs(f.tenant, f.namespace, f.id, from, ActivationStore.LOG_CHUNK_ENTRIES).compose(page -> {
      StringBuilder lines = new StringBuilder();
      JsonArray entries = page.getJsonArray("logs");
      entries.forEach(entry -> lines.append(((JsonObject) entry).encode()).append('\n'));
      Integer next = page.getInteger("next");
      Future<Void> written = lines.isEmpty() ? Future.succeededFuture() : f.response.write(lines.toString());
      return written.compose(w -> next == null ? Future.succeededFuture() : page(f, next));
    });
  }

  /** Where one follow is: the attempt it reads, its next live chunk and the next entry it has not sent. */
  private static final class Followed {
    final HttpServerResponse response;
    final String tenant;
    final String namespace;
    final String id;
    final long deadlineNanos;
    int attempt = -1;
    int chunk;
    int nextSeq;

    Followed(HttpServerResponse response, String tenant, String namespace, String id, long deadlineNanos) {
      this.response = response;
      this.tenant = tenant;
      this.namespace = namespace;
      this.id = id;
      this.deadlineNanos = deadlineNanos;
    }
  }
}
