package io.codesous.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.observe.Metrics;
import io.codesous.observe.ObservabilityOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management listener of a running embedded platform, scraped the way Prometheus does after real invokes:
 * every meter spec/metrics.md names is there, nothing with the {@code cs_} prefix is there that it does not name,
 * and the meters count what happened.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MetricsEndpointTest {

  private static final Path METRICS_SPEC = Path.of("../spec/metrics.md");
  /** A row of the meters table: its name and the last column, which says when the series exist. */
  private static final Pattern SPEC_ROW = Pattern.compile("^\\| `(cs_[a-z_]+)` \\|.*\\| ([^|]+) \\|$",
      Pattern.MULTILINE);
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)");

  @TempDir
  static Path dataDir;
  static Metrics metrics;
  static Vertx vertx;
  static Platform platform;
  static TestHttp http;
  static TestHttp management;

  @BeforeAll
  static void start() throws Exception {
    PlatformOptions options = new PlatformOptions().setPort(0).setDataDir(dataDir.toString())
        .setObservability(new ObservabilityOptions().setPerFunction(true).setMaxFunctionSeries(3));
    metrics = new Metrics();
    vertx = VertxFactory.create(options, metrics).await(30, TimeUnit.SECONDS);
    platform = Platform.start(vertx, options, metrics).await(60, TimeUnit.SECONDS);
    http = new TestHttp(platform.host(), platform.port(), platform.security().adminToken().token());
    management = new TestHttp("127.0.0.1", platform.managementPort(), null);
  }

  @AfterAll
  static void stop() throws Exception {
    if (platform != null) {
      platform.stop().await(30, TimeUnit.SECONDS);
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void theScrapeHasEveryDocumentedMeterAndNoUndocumentedOne() throws Exception {
    String ok = EmbeddedPlatformTest.unique("metered");
    EmbeddedPlatformTest.deploy(http, ok, EmbeddedPlatformTest.source(
        "export const handler = async () => ({ statusCode: 200, body: 'ok' });"), null, "prod");
    assertEquals(200, http.get(EmbeddedPlatformTest.web(ok, "prod")).statusCode());
    assertEquals(401, http.as(null).get(EmbeddedPlatformTest.web(ok, "prod")).statusCode());

    Map<String, String> documented = documentedMeters();
    Set<String> scraped = familiesOf(scrape().keySet());
    List<String> missing = new ArrayList<>();
    documented.forEach((name, present) -> {
      // the embedded platform runs every component on the in-memory KV: all but the Redis meters, and those made
      // by an event that has not happened yet
      if (!present.contains("redis") && !present.contains("once") && !scraped.contains(name)) {
        missing.add(name);
      }
    });
    assertEquals(List.of(), missing, "documented in spec/metrics.md but not scraped");
    Set<String> undocumented = new TreeSet<>();
    for (String family : scraped) {
      if (family.startsWith("cs_") && !documented.containsKey(family)) {
        undocumented.add(family);
      }
    }
    assertEquals(Set.of(), undocumented, "scraped with the cs_ prefix but not in spec/metrics.md");
    assertTrue(scraped.stream().anyMatch(f -> f.startsWith("vertx_http_server")), "Vert.x's own HTTP meters join");
    assertTrue(scraped.contains("jvm_memory_used_bytes"), "and the JVM's");
  }

  @Test
  void theMetersCountTheInvokesTheyDescribe() throws Exception {
    String ok = EmbeddedPlatformTest.unique("counted");
    String failing = EmbeddedPlatformTest.unique("failing");
    EmbeddedPlatformTest.deploy(http, ok, EmbeddedPlatformTest.source(
        "export const handler = async () => ({ statusCode: 200, body: 'ok' });"), null, "prod");
    EmbeddedPlatformTest.deploy(http, failing, EmbeddedPlatformTest.source(
        "export const handler = async () => { throw new Error('no'); };"), null, "prod");
    Map<String, Double> before = scrape();

    String lastOk = null;
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> invoked = http.get(EmbeddedPlatformTest.web(ok, "prod"));
      assertEquals(200, invoked.statusCode());
      lastOk = EmbeddedPlatformTest.activationId(invoked);
    }
    JsonObject record = TestHttp.json(http.get("/v1/tenants/acme/namespaces/default/activations/" + lastOk));
    assertTrue(Set.of("cold", "prewarmed", "warm").contains(record.getString("start")),
        "the record says how its context started: " + record.encode());
    assertEquals(502, http.get(EmbeddedPlatformTest.web(failing, "prod")).statusCode());
    assertEquals(404, http.get(EmbeddedPlatformTest.web(EmbeddedPlatformTest.unique("absent"), "prod")).statusCode());
    Map<String, Double> after = scrape();

    assertEquals(3.0, delta(before, after,
        "cs_invoke_duration_seconds_count{outcome=\"success\",trigger=\"http\"}"));
    assertEquals(1.0, delta(before, after,
        "cs_invoke_duration_seconds_count{outcome=\"function_error\",trigger=\"http\"}"));
    assertEquals(1.0, delta(before, after,
        "cs_invoke_duration_seconds_count{outcome=\"rejected\",trigger=\"http\"}"));
    assertEquals(3.0, after.get("cs_activations_total{function=\"" + ok
        + "\",namespace=\"default\",status=\"success\",tenant=\"acme\",trigger=\"http\"}"));
    assertEquals(1.0, after.get("cs_activations_total{function=\"" + failing
        + "\",namespace=\"default\",status=\"error\",tenant=\"acme\",trigger=\"http\"}"));
    assertEquals(3.0, delta(before, after, "cs_activation_run_seconds_count{status=\"success\",trigger=\"http\"}"));
    assertEquals(4.0, delta(before, after, "cs_activation_queue_seconds_count{trigger=\"http\"}"));
    double starts = delta(before, after, "cs_activation_starts_total{kind=\"cold\"}")
        + delta(before, after, "cs_activation_starts_total{kind=\"prewarmed\"}")
        + delta(before, after, "cs_activation_starts_total{kind=\"warm\"}");
    assertEquals(4.0, starts, "every activation that ran says how its context started");
    assertTrue(delta(before, after, "cs_cache_requests_total{cache=\"bundle\",result=\"hit\"}") >= 2,
        "later invokes of a version find its bundle cached");
    assertEquals(0.0, after.get("cs_sandbox_pool_busy"), "nothing runs once every invoke was answered");
  }

  @Test
  void functionsPastTheSeriesCapShareOneLabelSet() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String name = EmbeddedPlatformTest.unique("capped");
      names.add(name);
      EmbeddedPlatformTest.deploy(http, name, EmbeddedPlatformTest.source(
          "export const handler = async () => ({ statusCode: 200, body: 'ok' });"), null, "prod");
      assertEquals(200, http.get(EmbeddedPlatformTest.web(name, "prod")).statusCode());
    }
    Map<String, Double> after = scrape();
    long functionSeries = after.keySet().stream()
        .filter(s -> s.startsWith("cs_activations_total{") && !s.contains("\"_other\"")).count();
    assertTrue(functionSeries <= 3, "at most metrics.maxFunctionSeries functions have labels of their own: "
        + functionSeries);
    assertTrue(after.getOrDefault("cs_activations_total{function=\"_other\",namespace=\"_other\",status=\"success\","
        + "tenant=\"_other\",trigger=\"http\"}", 0.0) >= 1.0, "the rest count under _other");
  }

  @Test
  void metricsAreServedOnTheManagementPortOnly() {
    assertEquals(404, http.get("/metrics").statusCode(), "the public API port serves no metrics");
    HttpResponse<String> scrape = management.get("/metrics");
    assertEquals(200, scrape.statusCode());
    assertTrue(scrape.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
    assertEquals(200, management.get("/healthz").statusCode());
    assertEquals(200, management.get("/readyz").statusCode());
    assertFalse(management.get("/v1/tenants/acme/namespaces/default/functions").statusCode() == 200,
        "the management port serves no API");
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
    assertTrue(after.containsKey(series), () -> "no series " + series);
    return after.get(series) - before.getOrDefault(series, 0.0);
  }

  /** Series (name with its labels, as scraped) to value. */
  private static Map<String, Double> scrape() {
    HttpResponse<String> response = management.get("/metrics");
    assertEquals(200, response.statusCode());
    Map<String, Double> series = new LinkedHashMap<>();
    for (String line : response.body().split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      assertTrue(sample.find(), () -> "not a Prometheus sample: " + line);
      String labels = sample.group(2) == null ? "" : sample.group(2);
      series.put(sample.group(1) + labels, Double.parseDouble(sample.group(3)));
    }
    return series;
  }

  /** Metric families: sample names without the labels and the histogram and summary suffixes. */
  private static Set<String> familiesOf(Set<String> series) {
    Set<String> families = new TreeSet<>();
    for (String s : series) {
      int brace = s.indexOf('{');
      String name = brace < 0 ? s : s.substring(0, brace);
      families.add(name.replaceFirst("_(bucket|count|sum|max)$", ""));
    }
    return families;
  }

  private static Map<String, String> documentedMeters() throws IOException {
    Map<String, String> meters = new LinkedHashMap<>();
    Matcher row = SPEC_ROW.matcher(Files.readString(METRICS_SPEC));
    while (row.find()) {
      meters.put(row.group(1), row.group(2).trim());
    }
    assertTrue(meters.size() >= 15, "the meters table of spec/metrics.md was read: " + meters.keySet());
    return meters;
  }
}
