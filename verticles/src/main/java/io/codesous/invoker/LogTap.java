package io.codesous.invoker;

import io.codesous.auth.secret.SecretRedactor;
import io.codesous.runtime.LogEntry;
import io.codesous.runtime.LogListener;
import io.codesous.store.ActivationStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The live log of one attempt of a running activation: the sandbox hands each kept entry over as it is written, and
 * every {@link #FLUSH_MS} what arrived meanwhile is redacted and stored as the attempt's next live chunk
 * ({@link ActivationStore#writeLiveLogs}), where {@code GET .../logs?follow=true} reads it before the activation
 * ends. An activation that ends within one period writes no chunk at all: the live log costs nothing to the short
 * activations that are most of the traffic, and its stored logs (written when it ends) hold every entry anyway.
 *
 * <p>{@link #kept} runs on the sandbox's thread and only queues; flushing runs on the invoker's context, one write at
 * a time. A failed write keeps its entries for the next flush, so chunks never skip an entry.
 */
final class LogTap implements LogListener {

  private static final Logger LOG = LoggerFactory.getLogger(LogTap.class);

  /** How often the entries written meanwhile are stored: a follower sees a line within about this long. */
  static final long FLUSH_MS = 250;
  /** How long a live chunk outlives the longest the attempt can run: followers read the stored logs by then. */
  static final Duration AFTER_RUN = Duration.ofMinutes(10);

  /** Opens the taps of one invoker. */
  static final class Opener {
    private final Vertx vertx;
    private final ActivationStore activations;

    Opener(Vertx vertx, ActivationStore activations) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
      this.activations = Objects.requireNonNull(activations, "activations");
    }

    /**
     * Starts flushing on the calling context.
     *
     * @param runMs the longest the attempt can run (module evaluation plus handler budgets)
     */
    LogTap open(String tenant, String namespace, String activationId, int attempt, SecretRedactor redactor,
                long runMs) {
      LogTap tap = new LogTap(vertx, activations, tenant, namespace, activationId, attempt, redactor,
          Duration.ofMillis(runMs).plus(AFTER_RUN));
      tap.timer = vertx.setPeriodic(FLUSH_MS, t -> tap.flush());
      return tap;
    }
  }

  private final ActivationStore activations;
  private final String tenant;
  private final String namespace;
  private final String activationId;
  private final int attempt;
  private final SecretRedactor redactor;
  private final Duration ttl;
  private final ConcurrentLinkedQueue<LogEntry> pending = new ConcurrentLinkedQueue<>();
  private final Vertx vertx;
  private long timer;
  /** Entries taken for a write that failed: they lead the next chunk. Touched on the flushing context only. */
  private List<LogEntry> unwritten = new ArrayList<>();
  private int chunk;
  private boolean writing;
  private volatile boolean closed;

  private LogTap(Vertx vertx, ActivationStore activations, String tenant, String namespace, String activationId, int attempt,
                 SecretRedactor redactor, Duration ttl) {
    this.vertx = vertx;
    this.activations = activations;
    this.tenant = tenant;
    this.namespace = namespace;
    this.activationId = activationId;
    this.attempt = attempt;
    this.redactor = redactor;
    this.ttl = ttl;
  }

  @Override
  public void kept(LogEntry entry) {
    if (!closed) {
      pending.add(entry);
    }
  }

  /** Stops flushing: the attempt ended, and its stored logs take over. */
  void close() {
    closed = true;
    vertx.cancelTimer(timer);
    pending.clear();
  }

  private void flush() {
    if (writing || closed || (pending.isEmpty() && unwritten.isEmpty())) {
      return;
    }
    List<LogEntry> batch = unwritten;
    unwritten = new ArrayList<>();
    for (LogEntry entry; (entry = pending.poll()) != null; ) {
      batch.add(entry);
    }
    JsonArray entries = new JsonArray();
    for (LogEntry entry : batch) {
      entries.add(new JsonObject().put("seq", entry.seq()).put("ts_ms", entry.tsMs()).put("level", entry.level())
          .put("message", redactor.redact(entry.message())));
    }
    writing = true;
    Future<Void> write = activations.writeLiveLogs(tenant, namespace, activationId, attempt, chunk, entries, ttl);
    write.onComplete(done -> {
      writing = false;
      if (done.succeeded()) {
        chunk++;
      } else {
        LOG.debug("activation {}: a live log chunk was not stored: {}", activationId, done.cause().toString());
        // no flush ran meanwhile (one write at a time): nothing else is waiting in front of these
        unwritten = batch;
      }
    });
  }
}
