package io.codesous.invoker.host;

import io.codesous.observe.Tracing;
import io.codesous.runtime.HostCallObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;

import java.util.Map;
import java.util.Objects;

/**
 * A span per capability call of one activation, child of its {@code cs.sandbox} span: {@code cs.kv.get},
 * {@code cs.kv.set}, {@code cs.kv.del}, {@code cs.kv.list}, {@code cs.codeq.publish}, {@code cs.http.fetch},
 * {@code cs.cadence.heartbeat}, each with {@code cs.activation_id} and, once it ended, {@code cs.outcome}
 * ({@code ok}, {@code cancelled} or the code the function saw). A fetch's request carries its span's trace context
 * onward, so the callee's spans join the trace.
 */
public final class HostCallSpans implements HostCallObserver {

  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("cs.outcome");

  private final Tracing tracing;
  private final Span sandbox;
  private final String activationId;

  private HostCallSpans(Tracing tracing, Span sandbox, String activationId) {
    this.tracing = tracing;
    this.sandbox = sandbox;
    this.activationId = activationId;
  }

  /**
   * Spans under {@code sandbox}; {@link HostCallObserver#NONE} when it is {@code null} (tracing off). Under a span the
   * sampler dropped, the calls' spans record nothing but a fetch still passes the trace context (unsampled) on.
   */
  public static HostCallObserver under(Tracing tracing, Span sandbox, String activationId) {
    if (sandbox == null) {
      return HostCallObserver.NONE;
    }
    return new HostCallSpans(Objects.requireNonNull(tracing, "tracing"), sandbox,
        Objects.requireNonNull(activationId, "activationId"));
  }

  @Override
  public Call started(String op) {
    SpanKind kind = switch (op) {
      case "codeq.publish" -> SpanKind.PRODUCER;
      default -> SpanKind.CLIENT;
    };
    Span span = tracing.startChild("cs." + op, kind, sandbox);
    if (span == null) {
      return Call.NONE;
    }
    span.setAttribute(Tracing.ACTIVATION_ID, activationId);
    return new SpanCall(span);
  }

  private record SpanCall(Span span) implements Call {

    @Override
    public Map<String, String> outgoingHeaders() {
      return Tracing.headers(span);
    }

    @Override
    public void ended(String outcome) {
      span.setAttribute(OUTCOME, outcome);
      if (!OK.equals(outcome)) {
        span.setStatus(StatusCode.ERROR, outcome);
      }
      span.end();
    }
  }
}
