package io.codesous.invoker.host;

import static io.codesous.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.codesous.codeq.jvm.InJvmCodeQ;
import io.codesous.egress.EgressClient;
import io.codesous.egress.EgressOptions;
import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.observe.Tracing;
import io.codesous.runtime.ExecutionLimits;
import io.codesous.runtime.ExecutionRequest;
import io.codesous.runtime.ExecutionResult;
import io.codesous.runtime.ExecutionStatus;
import io.codesous.runtime.HostCallObserver;
import io.codesous.runtime.InvocationInfo;
import io.codesous.runtime.JsRuntime;
import io.codesous.runtime.RuntimeOptions;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real sandbox whose bindings name {@link HostCallSpans}: each KV call and the fetch of an activation is a span under
 * its sandbox span, with the activation id and how the call ended, and the fetch's request carries its own span's
 * context onward to a local server.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HostCallSpansTest {

  private static final String ACTIVATION_ID = "act-spans-1";

  Vertx vertx;
  JsRuntime runtime;
  InMemorySpanExporter spans;
  Tracing tracing;
  HostServices host;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    InMemoryKvStore kv = new InMemoryKvStore(vertx);
    InJvmCodeQ codeq = new InJvmCodeQ(vertx);
    await(kv.start());
    await(codeq.start());
    host = new HostServices(kv, codeq, new EgressClient(vertx, new EgressOptions()), true);
    runtime = new JsRuntime(new RuntimeOptions());
    spans = InMemorySpanExporter.create();
    tracing = Tracing.exportingTo(spans, 1.0);
  }

  @AfterEach
  void stop() throws Exception {
    tracing.close();
    runtime.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void anActivationsKvCallsAndFetchAreSpansUnderItsSandboxSpanAndTheFetchSendsItsOwnOnward() throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    HttpServer server = await(vertx.createHttpServer()
        .requestHandler(req -> {
          received.complete(req.getHeader("traceparent"));
          req.response().end("pong");
        }).listen(0, "127.0.0.1"));
    Capabilities caps = HostServicesTest.caps(new JsonObject()
        .put("kv", new JsonObject().put("read", new JsonArray().add("orders/"))
            .put("write", new JsonArray().add("orders/")))
        .put("http", new JsonObject().put("allow", new JsonArray().add("127.0.0.1"))));
    Span sandbox = tracing.startRemote("cs.sandbox", SpanKind.INTERNAL, null, null);
    ActivationBindings bindings = new ActivationBindings(host, "acme", caps,
        HostCallSpans.under(tracing, sandbox, ACTIVATION_ID));
    try {
      ExecutionResult result = runtime.execute(request(bindings, """
          export async function handler() {
            await cs.kv.set('orders/1', 'one');
            await cs.kv.get('orders/1');
            await cs.kv.list('orders/');
            await cs.kv.del('orders/1');
            try { await cs.kv.get('billing/1'); } catch (e) { }
            const answer = await cs.http.fetch('http://127.0.0.1:%d/');
            return {statusCode: 200, body: await answer.text()};
          }
          """.formatted(server.actualPort())));
      sandbox.end();
      assertEquals(ExecutionStatus.SUCCESS, result.status(), result.toString());

      List<SpanData> calls = spans.getFinishedSpanItems().stream()
          .filter(span -> !span.getName().equals("cs.sandbox")).toList();
      assertEquals(List.of("cs.kv.set", "cs.kv.get", "cs.kv.list", "cs.kv.del", "cs.kv.get", "cs.http.fetch"),
          calls.stream().map(SpanData::getName).toList());
      assertEquals(List.of("ok", "ok", "ok", "ok", "CS_CAPABILITY_DENIED", "ok"),
          calls.stream().map(span -> span.getAttributes().get(HostCallSpans.OUTCOME)).toList());
      for (SpanData call : calls) {
        assertEquals(sandbox.getSpanContext().getSpanId(), call.getParentSpanId(), call.getName());
        assertEquals(sandbox.getSpanContext().getTraceId(), call.getTraceId(), call.getName());
        assertEquals(ACTIVATION_ID, call.getAttributes().get(Tracing.ACTIVATION_ID), call.getName());
        assertEquals(SpanKind.CLIENT, call.getKind(), call.getName());
      }
      assertEquals(StatusCode.ERROR, calls.get(4).getStatus().getStatusCode(), "the refused read");
      SpanData fetch = calls.get(5);
      // the flags (sampled, and the SDK's random-trace-id bit) are the SDK's to set
      assertEquals("00-" + fetch.getTraceId() + "-" + fetch.getSpanId(),
          received.get(10, TimeUnit.SECONDS).substring(0, 52),
          "the request carries the fetch span's context, so the callee's spans join the trace");
    } finally {
      server.close();
    }
  }

  @Test
  void withTracingOffTheBindingsObserveNothing() {
    assertSame(HostCallObserver.NONE, HostCallSpans.under(Tracing.OFF, null, ACTIVATION_ID));
  }

  private static ExecutionRequest request(ActivationBindings bindings, String source) {
    InvocationInfo info = new InvocationInfo(ACTIVATION_ID, "req-spans-1", "acme", "default", "spans", 1, "http",
        null);
    return new ExecutionRequest("spans-" + System.nanoTime(),
        Map.of("index.mjs", source.getBytes(StandardCharsets.UTF_8)), "index.mjs", "{}", info, 20_000,
        ExecutionLimits.DEFAULTS, ExecutionRequest.ISOLATION_STRICT, bindings);
  }
}
