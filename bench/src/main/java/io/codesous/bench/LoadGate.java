package io.codesous.bench;

import io.codesous.invoker.Invoker;
import io.codesous.platform.PlatformOptions;
import io.codesous.spec.message.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load gate ({@code bench/run.sh --gate}): one platform over Redis and Kafka takes sustained
 * HTTP invokes and schedule ticks together for a fixed time; then it checks that nothing was lost
 * (every accepted activation has exactly one terminal record and exactly one message on
 * {@code cs.results}, counted by a consumer group of the gate's own) and that the queue lag never
 * passed the threshold of the {@code CodeSousQueueLagHigh} alert. It prints a pass/fail table and
 * exits 1 when a check fails.
 *
 * <p>Options: {@code --duration S} (60), {@code --rate R} invokes per second (50),
 * {@code --redis URI} (redis://127.0.0.1:6379), {@code --alerts FILE} (deploy/prometheus/alerts.yml).
 */
public final class LoadGate {

  private static final Set<String> TERMINAL = Set.of("success", "error", "timeout", "memory_limit");
  private static final Pattern LAG_RULE = Pattern.compile("cs_codeq_lag\\)\\s*>\\s*([0-9]+)");
  /** How long the gate waits after the load for the queue to drain and every result to arrive. */
  private static final long DRAIN_MS = 180_000;

  private LoadGate() {
  }

  public static void main(String[] args) throws Exception {
    long durationS = 60;
    int rate = 50;
    String redis = "redis://127.0.0.1:6379";
    Path alerts = Path.of("deploy/prometheus/alerts.yml");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--duration" -> durationS = Long.parseLong(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--redis" -> redis = args[++i];
        case "--alerts" -> alerts = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    boolean passed = false;
    try {
      passed = run(durationS, rate, redis, lagThreshold(alerts));
    } catch (Exception failed) {
      // the platform's and clients' non-daemon threads would keep a failed gate's JVM alive until CI's timeout
      failed.printStackTrace();
    } finally {
      System.exit(passed ? 0 : 1);
    }
  }

  /** The threshold of the queue-lag alert: the gate and the page agree by reading one number. */
  static long lagThreshold(Path alerts) throws Exception {
    Matcher m = LAG_RULE.matcher(Files.readString(alerts));
    if (!m.find()) {
      throw new IllegalStateException(alerts + " has no rule `max ... (cs_codeq_lag) > N`");
    }
    return Long.parseLong(m.group(1));
  }

  private static boolean run(long durationS, int rate, String redisUri, long lagThreshold) throws Exception {
    String tenant = "gate-" + Long.toString(System.currentTimeMillis(), 36);
    Path dataDir = Files.createTempDirectory("cs-gate");
    Vertx vertx = Vertx.vertx();
    SharedBackends backends = SharedBackends.start(vertx, redisUri);
    System.out.println(backends.describe());
    InProcessPlatform platform = InProcessPlatform.start(new PlatformOptions().setHost("127.0.0.1")
        .setPort(FreePort.pick()).setDataDir(dataDir.toString())
        .setKvBackend(PlatformOptions.KV_REDIS).setRedis(backends.redisSettings())
        .setCodeqBackend(PlatformOptions.CODEQ_KAFKA).setKafka(backends.kafkaSettings()));
    try (ResultCounter results = new ResultCounter(backends.kafkaBootstrapServers(), tenant + "-counter", tenant)) {
      GateApi api = new GateApi("http://127.0.0.1:" + platform.port(), platform.token(), tenant);
      api.deploy("echo", "export default { fetch: (req) => new Response('echo ' + new URL(req.url).pathname) };");
      api.deploy("ticker", "export async function handler(event) { return { statusCode: 200, body: 'tick' }; }");
      awaitFirstAnswer(api);
      GateTable table = new GateTable();
      try (QueueLagProbe lag = new QueueLagProbe(backends.kafkaBootstrapServers(), Topics.INVOKE, Invoker.GROUP)) {
        GateApi.expect(200, api.send("PUT", api.namespacePath() + "/schedules/tick", new JsonObject()
            .put("function", "ticker").put("ref", "prod").put("every", "1s").put("overlap", "allow")));
        Load load = sustain(api, rate, durationS);
        GateApi.expect(200, api.send("POST", api.namespacePath() + "/schedules/tick/pause", null));
        long fired = api.schedule("tick").getJsonObject("counters").getLong("fired");
        Set<String> activations = ConcurrentHashMap.newKeySet();
        activations.addAll(load.accepted);
        List<String> ticks = api.firedTicks("tick");
        activations.addAll(ticks);
        long drainedBy = System.currentTimeMillis() + DRAIN_MS;
        while (System.currentTimeMillis() < drainedBy
            && (missing(activations, results) > 0 || results.countOf("ticker") < fired)) {
          Thread.sleep(250);
        }
        long lagAfterDrain = lag.lastLag();
        long accepted = load.accepted.size();
        table.row("HTTP invokes accepted / sent", accepted + " / " + load.sent.get(), ">= 99%",
            accepted > 0 && accepted * 100 >= load.sent.get() * 99);
        table.row("schedule ticks fired (counter / listed)", fired + " / " + ticks.size(), "> 0", fired > 0);
        long missing = missing(activations, results);
        // with a queue not drained, a missing result may still be on its way: the lag row tells which
        table.row("activations without a result message", missing + " of " + activations.size()
            + (missing > 0 && lagAfterDrain > 0 ? ", " + lagAfterDrain + " still queued" : ""), "0", missing == 0);
        table.row("activations with two or more result messages", results.duplicated(), "0", results.duplicated() == 0);
        long notTerminal = notTerminal(api, activations);
        table.row("activations without a terminal record", notTerminal + " of " + activations.size(), "0", notTerminal == 0);
        table.row("tick results / ticks fired", results.countOf("ticker") + " / " + fired, "equal",
            results.countOf("ticker") == fired);
        table.row("Cadence activities", "not run", "not in the gate: bench/run.sh --cadence measures them", true);
        table.row("max queue lag (" + Topics.INVOKE + ", " + Invoker.GROUP + ", " + lag.samples() + " samples)",
            lag.maxLag(), "<= " + lagThreshold, lag.samples() > 0 && lag.maxLag() <= lagThreshold);
        System.out.printf("%d s of load at %d invokes/s with a 1 s schedule, tenant %s; answers: %s%n", durationS, rate,
            tenant, load.answers);
        return table.print(System.out);
      }
    } finally {
      platform.close();
      backends.deleteTenant(tenant);
      backends.close();
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static void awaitFirstAnswer(GateApi api) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (api.invoke("echo").get(30, TimeUnit.SECONDS).statusCode() != 200) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the function never answered 200");
      }
      Thread.sleep(250);
    }
  }

  /** What the load sent, and the activation id of every request the gateway accepted. */
  private record Load(AtomicLong sent, Set<String> accepted, Map<String, AtomicLong> answers) {

    void answered(String what) {
      answers.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }
  }

  /** Open loop: requests start on schedule whether or not the earlier ones answered. */
  private static Load sustain(GateApi api, int rate, long durationS) throws Exception {
    Load load = new Load(new AtomicLong(), ConcurrentHashMap.newKeySet(), new java.util.TreeMap<>());
    List<java.util.concurrent.CompletableFuture<?>> inFlight = new ArrayList<>();
    long start = System.nanoTime();
    long total = rate * durationS;
    for (long i = 0; i < total; i++) {
      long due = start + i * 1_000_000_000L / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      load.sent.incrementAndGet();
      inFlight.add(api.invoke("echo").whenComplete((response, failure) -> accept(load, response, failure)));
    }
    for (java.util.concurrent.CompletableFuture<?> f : inFlight) {
      try {
        f.get(120, TimeUnit.SECONDS);
      } catch (Exception failed) {
        // not accepted: the row "sent / accepted" shows it
      }
    }
    return load;
  }

  private static synchronized void accept(Load load, HttpResponse<String> response, Throwable failure) {
    if (failure != null) {
      Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      load.answered(cause.getClass().getSimpleName() + ": " + cause.getMessage());
      return;
    }
    load.answered(response.statusCode() / 100 == 2 ? "2xx" : response.statusCode() + " " + errorCode(response.body()));
    response.headers().firstValue("x-cs-activation-id").ifPresent(load.accepted::add);
  }

  /** The {@code CS_*} code of an error answer (its request id differs every time), else the status alone. */
  private static String errorCode(String body) {
    try {
      return new JsonObject(body).getJsonObject("error").getString("code");
    } catch (RuntimeException notAnError) {
      return "";
    }
  }

  private static long missing(Set<String> accepted, ResultCounter results) {
    return accepted.stream().filter(id -> results.count(id) == 0).count();
  }

  private static long notTerminal(GateApi api, Set<String> accepted) throws Exception {
    long count = 0;
    for (String id : accepted) {
      HttpResponse<String> record = api.send("GET", api.namespacePath() + "/activations/" + id, null);
      if (record.statusCode() != 200 || !TERMINAL.contains(new JsonObject(record.body()).getString("status"))) {
        count++;
      }
    }
    return count;
  }
}
