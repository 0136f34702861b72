package io.codesous.auth.audit;

import io.vertx.core.Future;

/**
 * Where audit events go (the ledger boundary). {@link #emit} completes once the sink has taken
 * responsibility for the event (appended to the queue, written and flushed to the file); callers
 * decide whether a failed emit fails the request.
 */
public interface AuditSink {

  /** Drops every event; for setups that keep no audit trail. */
  AuditSink NONE = new AuditSink() {
    @Override
    public Future<Void> emit(AuditEvent event) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> start() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> stop() {
      return Future.succeededFuture();
    }

    @Override
    public String toString() {
      return "AuditSink.NONE";
    }
  };

  Future<Void> emit(AuditEvent event);

  Future<Void> start();

  Future<Void> stop();
}
