package io.codesous.observe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;

/**
 * The process's OpenTelemetry tracer, or none: without {@code tracing.otlpEndpoint} no span is made and every method
 * here returns at once, so tracing off costs a field read per call site. Spans are continued across the queue by the
 * W3C {@code traceparent} / {@code tracestate} the invocation request carries; within a process, the span of the
 * request or activation being handled sits in its Vert.x context's local data, like the log ids ({@link LogContext}).
 */
public final class Tracing implements AutoCloseable {

  public static final Tracing OFF = new Tracing(null);
  public static final AttributeKey<String> ACTIVATION_ID = AttributeKey.stringKey("cs.activation_id");
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final Object CURRENT = Tracing.class;
  private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private Tracing(SdkTracerProvider provider) {
    this.provider = provider;
    this.tracer = provider == null ? null : provider.get("io.codesous");
  }

  /** OTLP over HTTP to {@code tracing.otlpEndpoint}, batched; {@link #OFF} when it is not set. */
  public static Tracing create(ObservabilityOptions options) {
    if (options.getOtlpEndpoint() == null) {
      return OFF;
    }
    return with(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
        .setEndpoint(options.getOtlpEndpoint()).build()).build(), options.getSamplingRatio());
  }

  /** Every span to {@code exporter} as it ends: for tests with the SDK's in-memory exporter. */
  public static Tracing exportingTo(SpanExporter exporter, double samplingRatio) {
    return with(SimpleSpanProcessor.create(exporter), samplingRatio);
  }

  private static Tracing with(SpanProcessor processor, double samplingRatio) {
    return new Tracing(SdkTracerProvider.builder()
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(samplingRatio)))
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), "code-sous"))))
        .addSpanProcessor(processor)
        .build());
  }

  public boolean enabled() {
    return tracer != null;
  }

  /**
   * A span continuing the trace {@code traceparent} names (a new trace when it is {@code null} or malformed).
   *
   * @return {@code null} when tracing is off
   */
  public Span startRemote(String name, SpanKind kind, String traceparent, String tracestate) {
    if (tracer == null) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>(4);
    if (traceparent != null) {
      carrier.put("traceparent", traceparent);
      if (tracestate != null) {
        carrier.put("tracestate", tracestate);
      }
    }
    Context parent = W3C.extract(Context.root(), carrier, MAP);
    return tracer.spanBuilder(name).setParent(parent).setSpanKind(kind).startSpan();
  }

  /** @return a child of {@code parent}, or {@code null} when tracing is off or there is no parent */
  public Span startChild(String name, SpanKind kind, Span parent) {
    if (tracer == null || parent == null) {
      return null;
    }
    return tracer.spanBuilder(name).setParent(Context.root().with(parent)).setSpanKind(kind).startSpan();
  }

  /** The W3C headers that make a receiver's spans children of {@code span}: {@code traceparent}, maybe {@code tracestate}. */
  public static Map<String, String> headers(Span span) {
    Map<String, String> headers = new HashMap<>(4);
    W3C.inject(Context.root().with(span), headers, Map::put);
    return headers;
  }

  /** Makes {@code span} the current one of the request or activation handled on the current Vert.x context. */
  public static void setCurrent(Span span) {
    ConcurrentMap<Object, Object> data = span == null ? null : DuplicatedContexts.currentLocalData();
    if (data != null) {
      data.put(CURRENT, span);
      LogContext.put(LogContext.TRACE_ID, span.getSpanContext().getTraceId());
    }
  }

  /**
   * {@link #setCurrent(Span)}; with tracing off ({@code span} is {@code null}) the log lines still carry a trace id:
   * that of the caller's {@code traceparent}, which the platform passes on unchanged. A malformed one is ignored.
   */
  public static void setCurrent(Span span, String traceparent) {
    if (span != null) {
      setCurrent(span);
    } else if (traceparent != null) {
      SpanContext caller = Span.fromContext(W3C.extract(Context.root(), Map.of("traceparent", traceparent), MAP))
          .getSpanContext();
      if (caller.isValid()) {
        LogContext.put(LogContext.TRACE_ID, caller.getTraceId());
      }
    }
  }

  /** The current span of the request or activation being handled, or {@code null}. */
  public static Span current() {
    ConcurrentMap<Object, Object> data = DuplicatedContexts.currentLocalData();
    return data == null ? null : (Span) data.get(CURRENT);
  }

  @Override
  public void close() {
    if (provider != null) {
      provider.close();
    }
  }
}
