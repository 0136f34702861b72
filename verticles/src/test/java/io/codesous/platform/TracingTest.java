package io.codesous.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.invoker.host.HostCallSpans;
import io.codesous.observe.Metrics;
import io.codesous.observe.Tracing;
import io.codesous.testsupport.Await;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One web invoke of a function that calls {@code cs.http.fetch}, on an embedded platform whose tracer exports to
 * the SDK's in-memory exporter: the caller's {@code traceparent} starts one trace, and its spans link gateway →
 * publish → invoker → sandbox → KV calls and fetch, each with the activation id. (The fetch goes to a private address the egress
 * policy refuses, so the test needs no network; that the request carries {@code traceparent} onward is checked
 * against a local server in HostServicesTest.)
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TracingTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

  @TempDir
  Path dataDir;

  @Test
  void aWebInvokeThatFetchesYieldsOneTraceFromGatewayToFetch() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    Vertx vertx = Vertx.vertx();
    PlatformOptions options = new PlatformOptions().setPort(0).setDataDir(dataDir.toString());
    Platform platform = Platform.start(vertx, options, new Metrics(), Tracing.exportingTo(spans, 1.0))
        .await(60, TimeUnit.SECONDS);
    try {
      TestHttp http = new TestHttp(platform.host(), platform.port(), platform.security().adminToken().token());
      String name = EmbeddedPlatformTest.unique("traced");
      EmbeddedPlatformTest.deploy(http, name, EmbeddedPlatformTest.source("""
              export async function handler() {
                await cs.kv.set('traced/1', 'one');
                await cs.kv.get('traced/1');
                try { await cs.http.fetch('http://10.255.0.1/'); } catch (e) { return {statusCode: 200, body: e.code}; }
                return {statusCode: 200, body: 'fetched'};
              }
              """),
          new JsonObject().put("capabilities", new JsonObject()
              .put("kv", new JsonObject().put("read", new JsonArray().add("traced/"))
                  .put("write", new JsonArray().add("traced/")))
              .put("http", new JsonObject().put("allow", new JsonArray().add("10.255.0.1")))), "prod");
      HttpResponse<String> invoked = http.send("GET", EmbeddedPlatformTest.web(name, "prod"), null, null,
          Map.of("traceparent", CALLER));
      assertEquals(200, invoked.statusCode(), invoked.body());
      String activationId = EmbeddedPlatformTest.activationId(invoked);

      SpanData gateway = finished(spans, "cs.gateway");
      SpanData publish = finished(spans, "cs.publish");
      SpanData invoke = finished(spans, "cs.invoke");
      SpanData sandbox = finished(spans, "cs.sandbox");
      SpanData kvSet = finished(spans, "cs.kv.set");
      SpanData kvGet = finished(spans, "cs.kv.get");
      SpanData fetch = finished(spans, "cs.http.fetch");
      for (SpanData span : List.of(gateway, publish, invoke, sandbox, kvSet, kvGet, fetch)) {
        assertEquals(TRACE_ID, span.getTraceId(), span.getName() + " belongs to the caller's trace");
      }
      assertEquals("00f067aa0ba902b7", gateway.getParentSpanId(), "the gateway continues the caller's span");
      assertEquals(SpanKind.SERVER, gateway.getKind());
      assertEquals(gateway.getSpanId(), publish.getParentSpanId());
      assertEquals(publish.getSpanId(), invoke.getParentSpanId(), "the invoker continues from the queued request");
      assertEquals(SpanKind.CONSUMER, invoke.getKind());
      assertEquals(invoke.getSpanId(), sandbox.getParentSpanId());
      for (SpanData call : List.of(kvSet, kvGet, fetch)) {
        assertEquals(sandbox.getSpanId(), call.getParentSpanId(), call.getName() + " is a call of the sandbox");
        assertEquals(SpanKind.CLIENT, call.getKind(), call.getName());
      }
      assertEquals("ok", kvGet.getAttributes().get(HostCallSpans.OUTCOME));
      assertTrue(invoked.body().startsWith("CS_"), "the egress policy refused the private address: " + invoked.body());
      assertEquals(invoked.body(), fetch.getAttributes().get(HostCallSpans.OUTCOME),
          "the fetch span's outcome is the code the function saw");
      for (SpanData span : List.of(gateway, publish, invoke, sandbox, kvSet, kvGet, fetch)) {
        assertEquals(activationId, span.getAttributes().get(Tracing.ACTIVATION_ID), span.getName());
      }
      assertNotNull(invoke.getAttributes().get(io.opentelemetry.api.common.AttributeKey.longKey("cs.queue_ms")));
    } finally {
      platform.stop().await(30, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** The span once it has ended (spans end as their work completes, the gateway's once the answer is written). */
  private static SpanData finished(InMemorySpanExporter spans, String name) {
    return Await.present(() -> spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst(),
        () -> "span " + name + " among " + spans.getFinishedSpanItems().stream().map(SpanData::getName).toList());
  }
}
