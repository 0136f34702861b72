package io.codesous.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.observe.LogFormats;
import io.codesous.observe.Metrics;
import io.codesous.observe.Tracing;
import io.codesous.observe.ObservabilityOptions.LogFormat;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The platform's log lines in the JSON format `cs server` writes (the same Log4j configuration and template), at
 * debug level, captured while a real embedded platform serves invokes: every line parses as JSON, the lines
 * written for an invoke carry its request id, activation id, tenant, function and trace id, whichever thread wrote
 * them, and no line holds the caller's token or a secret's value. A library's {@code java.util.logging} line comes
 * out in the same layout.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JsonLogsTest {

  private static final String SECRET = "s3cr3t-value-" + System.nanoTime();
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

  @TempDir
  Path dataDir;
  private final StringWriter captured = new StringWriter();

  @BeforeEach
  void captureJsonLines() {
    LogFormats.apply(LogFormat.JSON);
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    Layout<?> json = config.getAppender("stderr").getLayout();
    WriterAppender capture = WriterAppender.newBuilder().setName("capture").setTarget(captured).setLayout(json)
        .build();
    capture.start();
    config.addAppender(capture);
    config.getRootLogger().addAppender(capture, Level.DEBUG, null);
    Configurator.setLevel("io.codesous", Level.DEBUG);
  }

  @AfterEach
  void restoreTestLogging() {
    // back to log4j2-test.xml for the tests that share this JVM
    Configurator.reconfigure();
  }

  /** With tracing on, the gateway continues the caller's trace; with it off, the caller's trace id is passed on. */
  @ParameterizedTest(name = "tracing on: {0}")
  @ValueSource(booleans = {true, false})
  void theLinesOfAnInvokeAreJsonAndCarryItsIdsButNoTokenOrSecret(boolean tracingOn) throws Exception {
    Vertx vertx = Vertx.vertx();
    Tracing tracing = tracingOn ? Tracing.exportingTo(InMemorySpanExporter.create(), 1.0) : Tracing.OFF;
    Platform platform = Platform.start(vertx, new PlatformOptions().setPort(0).setDataDir(dataDir.toString()),
        new Metrics(), tracing).await(60, TimeUnit.SECONDS);
    try {
      String token = platform.security().adminToken().token();
      TestHttp http = new TestHttp(platform.host(), platform.port(), token);
      assertEquals(201, http.postJson("/v1/tenants/acme/namespaces/default/secrets",
          new JsonObject().put("name", "api-key").put("value", SECRET)).statusCode());
      String name = EmbeddedPlatformTest.unique("logged");
      EmbeddedPlatformTest.deploy(http, name, EmbeddedPlatformTest.source(
              "export const handler = async (e, ctx) => { console.log('key', ctx.secrets['api-key']);"
                  + " return { statusCode: 200, body: 'ok' }; };"),
          new JsonObject().put("secrets", List.of("api-key")), "prod");

      String requestId = "req-" + System.nanoTime();
      HttpResponse<String> invoked = http.send("GET", EmbeddedPlatformTest.web(name, "prod"), null, null,
          Map.of("x-request-id", requestId, "traceparent", "00-" + TRACE_ID + "-b7ad6b7169203331-01"));
      assertEquals(200, invoked.statusCode(), invoked.body());
      String activationId = EmbeddedPlatformTest.activationId(invoked);

      List<JsonObject> lines = lines();
      List<JsonObject> ofInvoke = lines.stream().filter(l -> requestId.equals(l.getString("request_id"))).toList();
      assertTrue(ofInvoke.stream().anyMatch(l -> l.getString("log.logger").endsWith("Gateway")),
          "the gateway's line of the invoke carries its request id: " + ofInvoke);
      List<JsonObject> ofInvoker = ofInvoke.stream()
          .filter(l -> l.getString("log.logger").endsWith("Invoker")).toList();
      assertFalse(ofInvoker.isEmpty(), "so do the invoker's, written on another context: " + ofInvoke);
      for (JsonObject line : ofInvoke) {
        assertEquals(activationId, line.getString("activation_id"), line.encode());
        assertEquals("acme", line.getString("tenant"), line.encode());
        assertEquals(name, line.getString("function"), line.encode());
        assertEquals(TRACE_ID, line.getString("trace_id"), line.encode());
      }
      String all = captured.toString();
      assertFalse(all.contains(token), "no platform line holds the caller's token");
      assertFalse(all.contains(SECRET), "nor a secret's value");
    } finally {
      platform.stop().await(30, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aLibrarysJavaUtilLoggingLineIsAJsonLineOfTheSameLayout() {
    String message = "a library line " + System.nanoTime();
    java.util.logging.Logger.getLogger("com.example.library").warning(message);

    JsonObject line = lines().stream().filter(l -> message.equals(l.getString("message"))).findFirst()
        .orElseThrow(() -> new AssertionError("no JSON line for the JUL record in " + captured));
    assertEquals("com.example.library", line.getString("log.logger"));
    assertEquals("WARN", line.getString("log.level"));
  }

  private List<JsonObject> lines() {
    List<JsonObject> lines = new ArrayList<>();
    for (String line : captured.toString().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        lines.add(new JsonObject(line));
      } catch (DecodeException notJson) {
        throw new AssertionError("a log line is not JSON: " + line, notJson);
      }
    }
    assertFalse(lines.isEmpty(), "the platform logged at debug level");
    return lines;
  }
}
