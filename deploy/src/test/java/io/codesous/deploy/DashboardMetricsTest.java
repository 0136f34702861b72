package io.codesous.deploy;

import io.codesous.platform.Platform;
import io.codesous.platform.Components;
import io.codesous.platform.PlatformOptions;
import io.codesous.platform.RunningPlatform;
import io.codesous.platform.SousWorkflow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard and the alert rules name only metrics a running platform exports (or that
 * deploy/prometheus/not-yet-exported.txt lists as not exported yet), so neither can drift from the
 * code. The platform, with every component, runs real functions first, over HTTP and as a Cadence activity (the
 * Cadence client's in-memory service), so the meters that appear on first use exist, and the names are read from
 * what Prometheus would read: the text its management listener serves at {@code /metrics}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardMetricsTest {

  private static final Pattern METRIC = Pattern.compile("\\b(cs_[a-zA-Z0-9_]+)\\b");
  /** A sample line of the Prometheus text format: the series name comes first (comment lines start with #). */
  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");
  private static final String NS = "/v1/tenants/dash/namespaces/default";

  @TempDir
  static Path dataDir;

  private InMemoryCadence cadence;
  private RunningPlatform running;
  private Set<String> exported;

  @BeforeAll
  void runFunctionsOnAPlatform() throws Exception {
    cadence = new InMemoryCadence();
    running = RunningPlatform.start(new PlatformOptions().setPort(0).setDataDir(dataDir.toString())
        .setComponents(Components.ALL).setCadence(cadence.options()));
    Platform platform = running.platform();
    Api api = new Api("http://" + platform.host() + ":" + platform.port(), platform.security().adminToken().token());
    api.deploy("ok", "export default { fetch: () => new Response('ok') };");
    api.deploy("fails", "export default { fetch: () => { throw new Error('no'); } };");
    api.deploy("activity", "export const handler = async () => 'done';");
    assertEquals(200, api.send("GET", "/v1/web/dash/default/ok/prod", null).statusCode());
    HttpResponse<String> failed = api.send("GET", "/v1/web/dash/default/fails/prod", null);
    assertTrue(failed.statusCode() >= 500, "a function that throws: " + failed.statusCode() + " " + failed.body());
    // the Cadence poller's meters appear once a binding took a task
    HttpResponse<String> bound = api.send("PUT", NS + "/bindings/dash", new JsonObject()
        .put("domain", InMemoryCadence.DOMAIN).put("tasklist", "dash-activities")
        .put("activity_map", new JsonObject().put(SousWorkflow.ACTIVITY,
            new JsonObject().put("function", "activity").put("alias", "prod"))));
    assertEquals(200, bound.statusCode(), bound.body());
    assertEquals("ok done", cadence.run("dash-activities"));
    exported = scrapedNames(platform.managementPort());
  }

  @AfterAll
  void stop() throws Exception {
    try {
      running.close();
    } finally {
      cadence.close();
    }
  }

  @Test
  void everyMetricTheDashboardAndTheRulesNameIsExported() throws IOException {
    Map<String, Set<String>> referenced = referenced();
    Set<String> pending = pending();
    for (Map.Entry<String, Set<String>> file : referenced.entrySet()) {
      Set<String> unknown = new TreeSet<>(file.getValue());
      unknown.removeAll(exported);
      unknown.removeAll(pending);
      assertTrue(unknown.isEmpty(), file.getKey() + " names metrics the platform does not export: " + unknown
          + "\nexported: " + exported);
    }
  }

  @Test
  void theNotYetExportedListOnlyHoldsNamesInUseThatAreStillMissing() throws IOException {
    Set<String> pending = pending();
    Set<String> nowExported = new TreeSet<>(pending);
    nowExported.retainAll(exported);
    assertTrue(nowExported.isEmpty(), "exported now, remove from not-yet-exported.txt: " + nowExported);
    Set<String> used = new TreeSet<>();
    referenced().values().forEach(used::addAll);
    Set<String> unused = new TreeSet<>(pending);
    unused.removeAll(used);
    assertTrue(unused.isEmpty(), "listed but named nowhere: " + unused);
  }

  @Test
  void theScrapeHoldsTheSeriesTheFunctionsJustMoved() {
    // the two invokes above ended, one well and one in error: their series are in the scrape
    assertTrue(exported.contains("cs_invoke_duration_seconds_bucket"), exported.toString());
    assertTrue(exported.contains("cs_activations_total"), exported.toString());
    assertTrue(exported.contains("cs_activation_starts_total"), exported.toString());
  }

  @Test
  void theScrapeHoldsTheCadencePollersSeriesOnceItServedAnActivity() {
    assertTrue(exported.contains("cs_cadence_inflight"), exported.toString());
    assertTrue(exported.contains("cs_cadence_respond_errors_total"), exported.toString());
  }

  @Test
  void theDashboardHasThePanelsOperatorsNeed() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(DeployFiles.ROOT.resolve("grafana/code-sous.json")));
    List<String> titles = dashboard.getJsonArray("panels").stream()
        .map(p -> ((JsonObject) p).getString("title")).toList();
    for (String wanted : List.of("Invoke latency", "Error rate", "Activations/s by status", "Starts by kind",
        "Queue lag", "Sandbox pool", "Scheduler tick lag", "Cadence activities in flight")) {
      assertTrue(titles.stream().anyMatch(t -> t.startsWith(wanted)), "no panel " + wanted + " in " + titles);
    }
    assertFalse(expressions(dashboard).isEmpty());
  }

  /** Metric names per file, from every PromQL expression in the dashboard and the rules. */
  private static Map<String, Set<String>> referenced() throws IOException {
    Map<String, Set<String>> names = new LinkedHashMap<>();
    JsonObject dashboard = new JsonObject(Files.readString(DeployFiles.ROOT.resolve("grafana/code-sous.json")));
    names.put("grafana/code-sous.json", metrics(expressions(dashboard)));
    Map<String, Object> rules = DeployFiles.readMap(DeployFiles.ROOT.resolve("prometheus/alerts.yml"));
    List<String> exprs = new java.util.ArrayList<>();
    for (Object group : (List<?>) rules.get("groups")) {
      for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
        exprs.add(String.valueOf(((Map<?, ?>) rule).get("expr")));
      }
    }
    names.put("prometheus/alerts.yml", metrics(exprs));
    names.values().forEach(n -> assertFalse(n.isEmpty(), "no metric found in a file: the pattern is wrong"));
    return names;
  }

  private static List<String> expressions(JsonObject dashboard) {
    List<String> exprs = new java.util.ArrayList<>();
    for (Object panel : dashboard.getJsonArray("panels")) {
      JsonArray targets = ((JsonObject) panel).getJsonArray("targets", new JsonArray());
      targets.forEach(t -> exprs.add(((JsonObject) t).getString("expr")));
    }
    return exprs;
  }

  private static Set<String> metrics(List<String> expressions) {
    Set<String> names = new TreeSet<>();
    for (String expr : expressions) {
      Matcher m = METRIC.matcher(expr);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** The series names of one scrape of the management listener's {@code /metrics}, comments left out. */
  private static Set<String> scrapedNames(int managementPort) throws Exception {
    assertTrue(managementPort > 0, "the platform has no management listener: " + managementPort);
    HttpResponse<String> scrape = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, scrape.statusCode(), scrape.body());
    Set<String> names = new TreeSet<>();
    for (String line : scrape.body().split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (sample.lookingAt()) {
        names.add(sample.group(1));
      }
    }
    return names;
  }

  private static Set<String> pending() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String line : Files.readAllLines(DeployFiles.ROOT.resolve("prometheus/not-yet-exported.txt"))) {
      String name = line.replaceFirst("#.*", "").trim();
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return names;
  }

  /** The few API calls the test needs: create, upload, publish, invoke. */
  private record Api(String base, String token) {

    void deploy(String function, String source) throws Exception {
      check(201, send("POST", NS + "/functions", new JsonObject().put("name", function)));
      HttpResponse<String> draft = check(201, send("POST", NS + "/functions/" + function + "/drafts",
          new JsonObject().put("files", new JsonObject().put("index.mjs", source))));
      check(201, send("POST", NS + "/functions/" + function + "/versions", new JsonObject()
          .put("draft_id", new JsonObject(draft.body()).getString("draft_id")).put("alias", "prod")));
    }

    HttpResponse<String> send(String method, String path, JsonObject body) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
          .header("authorization", "Bearer " + token)
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
      if (body != null) {
        request.header("content-type", "application/json");
      }
      return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> check(int status, HttpResponse<String> response) {
      assertEquals(status, response.statusCode(), response.body());
      return response;
    }
  }
}
