package io.codesous.platform;

import io.codesous.auth.audit.AuditEvent;
import io.codesous.auth.audit.AuditSink;
import io.codesous.codeq.CodeQ;
import io.codesous.spec.message.Topics;
import io.vertx.core.Future;

import java.util.Objects;

/**
 * Appends audit events to the durable codeQ topic {@value #TOPIC}, keyed by tenant so that one
 * tenant's events stay in order. The queue's lifecycle belongs to whoever created it:
 * {@link #start()} and {@link #stop()} leave it alone. It lives in the composition root, which owns both
 * ports it joins, so the auth module needs no queue.
 */
public final class CodeQAuditSink implements AuditSink {

  public static final String TOPIC = Topics.AUDIT;

  private final CodeQ codeQ;

  public CodeQAuditSink(CodeQ codeQ) {
    this.codeQ = Objects.requireNonNull(codeQ, "codeQ");
  }

  @Override
  public Future<Void> emit(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    return codeQ.publish(TOPIC, event.tenant(), event.toJson().toBuffer());
  }

  @Override
  public Future<Void> start() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    return Future.succeededFuture();
  }
}
