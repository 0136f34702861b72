package io.codesous.bench;

import com.uber.cadence.WorkflowExecution;
import com.uber.cadence.client.WorkflowClient;
import com.uber.cadence.client.WorkflowClientOptions;
import com.uber.cadence.client.WorkflowOptions;
import com.uber.cadence.client.WorkflowStub;
import com.uber.cadence.internal.testservice.TestWorkflowService;
import com.uber.cadence.worker.WorkerFactory;
import io.codesous.cadence.CadenceOptions;
import io.codesous.platform.Platform;
import io.codesous.platform.Components;
import io.codesous.platform.PlatformOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Cadence activities through the whole path: a Java workflow (the Cadence client's worker, against its in-memory
 * service) schedules {@code SousInvokeActivity}, the embedded platform's poller publishes it, the invoker runs a JS
 * function, the result goes back through cs.results and the poller completes the activity. Prints activities a
 * second and the schedule-to-close latency (from the workflow history: scheduled to completed) at p50 and p99.
 * Options: {@code --workflows N} (default 300), {@code --concurrency N} (default 16).
 */
public final class CadenceBenchmark {

  static final String DOMAIN = "bench";
  static final String WORKFLOWS = "bench-workflows";
  static final String TASKLIST = "bench-activities";

  private CadenceBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int workflows = intOption(args, "--workflows", 300);
    int concurrency = intOption(args, "--concurrency", 16);
    TestWorkflowService cadence = new TestWorkflowService();
    cadence.lockTimeSkipping("bench");
    WorkflowClient client = WorkflowClient.newInstance(cadence,
        WorkflowClientOptions.newBuilder().setDomain(DOMAIN).build());
    WorkerFactory workers = WorkerFactory.newInstance(client);
    workers.newWorker(WORKFLOWS).registerWorkflowImplementationTypes(EchoWorkflow.Impl.class);
    workers.start();
    Vertx vertx = Vertx.vertx();
    Platform platform = Platform.start(vertx, new PlatformOptions().setPort(0)
        .setDataDir(Files.createTempDirectory("cs-cadence-bench").toString())
        .setComponents(Set.of(Components.CONTROL, Components.INVOKER, Components.CADENCE_POLLER))
        .setCadence(new CadenceOptions().setService(cadence))).await(120, TimeUnit.SECONDS);
    try {
      deploy(platform, concurrency);
      run(client, Math.min(workflows, 50), concurrency, cadence);
      long start = System.nanoTime();
      List<Long> latenciesMicros = run(client, workflows, concurrency, cadence);
      double seconds = (System.nanoTime() - start) / 1e9;
      Collections.sort(latenciesMicros);
      System.out.printf("| workflows | concurrency | activities/s | measured | schedule-to-close p50 | p99 |%n");
      System.out.printf("|---|---|---|---|---|---|%n");
      System.out.printf("| %d | %d | %.1f | %d | %.1f ms | %.1f ms |%n", workflows, concurrency, workflows / seconds,
          latenciesMicros.size(),
          percentile(latenciesMicros, 0.50) / 1000.0, percentile(latenciesMicros, 0.99) / 1000.0);
    } finally {
      platform.stop().await(60, TimeUnit.SECONDS);
      vertx.close().await(60, TimeUnit.SECONDS);
      workers.shutdownNow();
      cadence.close();
    }
    // the Cadence client's worker and in-memory service leave non-daemon threads behind
    System.exit(0);
  }

  private static void deploy(Platform platform, int pollers) throws Exception {
    String base = "http://" + platform.host() + ":" + platform.port() + "/v1/tenants/bench/namespaces/default";
    String token = platform.security().adminToken().token();
    HttpClient http = HttpClient.newHttpClient();
    send(http, token, "POST", base + "/functions", new JsonObject().put("name", "echo"));
    JsonObject draft = send(http, token, "POST", base + "/functions/echo/drafts", new JsonObject().put("files",
        new JsonObject().put("index.mjs", EchoWorkflow.FUNCTION_SOURCE)));
    send(http, token, "POST", base + "/functions/echo/versions",
        new JsonObject().put("draft_id", draft.getString("draft_id")).put("alias", "prod"));
    send(http, token, "PUT", base + "/bindings/bench", EchoWorkflow.binding(DOMAIN, TASKLIST, "echo", Math.min(pollers, 64)));
  }

  private static JsonObject send(HttpClient http, String token, String method, String url, JsonObject body)
      throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
        .header("authorization", "Bearer " + token).header("content-type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return new JsonObject(response.body());
  }

  /** Runs the workflows, at most {@code concurrency} at once; the schedule-to-close latency of each, in µs. */
  private static List<Long> run(WorkflowClient client, int workflows, int concurrency, TestWorkflowService cadence)
      throws Exception {
    Semaphore open = new Semaphore(concurrency);
    List<WorkflowExecution> executions = new ArrayList<>();
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < workflows; i++) {
      open.acquire();
      EchoWorkflow echo = client.newWorkflowStub(EchoWorkflow.class, new WorkflowOptions.Builder().setTaskList(WORKFLOWS)
          .setExecutionStartToCloseTimeout(Duration.ofSeconds(120)).build());
      executions.add(WorkflowClient.start(echo::run, TASKLIST, "n" + i));
      results.add(WorkflowStub.fromTyped(echo).getResultAsync(String.class).whenComplete((r, e) -> open.release()));
    }
    for (CompletableFuture<String> result : results) {
      String answer = result.get(120, TimeUnit.SECONDS);
      if (!answer.startsWith("hello n")) {
        throw new IllegalStateException("unexpected activity result " + answer);
      }
    }
    List<Long> latencies = new ArrayList<>();
    for (WorkflowExecution execution : executions) {
      long micros = ActivityHistory.read(cadence, DOMAIN, execution).scheduleToCloseMicros();
      if (micros >= 0) {
        latencies.add(micros);
      }
    }
    return latencies;
  }

  private static long percentile(List<Long> sorted, double p) {
    return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private static int intOption(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
