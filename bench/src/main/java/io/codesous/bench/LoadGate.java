package io.codesous.bench;

import io.codesous.invoker.Invoker;
import io.codesous.platform.BackendNames;
import io.codesous.platform.Components;
import io.codesous.platform.PlatformOptions;
import io.codesous.spec.message.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load gate ({@code bench/run.sh --gate}): one platform over Redis and Kafka takes sustained HTTP invokes,
 * schedule ticks and Cadence activities together for a fixed time; then it checks that nothing was lost (every
 * accepted activation has exactly one terminal record and exactly one message on {@code cs.results}, counted by a
 * consumer group of the gate's own) and that the queue lag never passed the threshold of the
 * {@code CodeSousQueueLagHigh} alert. It prints a pass/fail table and exits 1 when a check fails. Options:
 * {@link GateOptions}.
 */
public final class LoadGate {

  private static final Set<String> TERMINAL = Set.of("success", "error", "timeout", "memory_limit");
  private static final Pattern LAG_RULE = Pattern.compile("cs_codeq_lag\\)\\s*>\\s*([0-9]+)");
  /** How long the gate waits after the load for the queue to drain and every result to arrive. */
  private static final long DRAIN_MS = 180_000;
  private static final String SCHEDULE = "tick";

  private LoadGate() {
  }

  public static void main(String[] args) throws Exception {
    boolean passed = false;
    try {
      GateOptions options = GateOptions.parse(args);
      passed = run(options, lagThreshold(options.alerts()));
    } catch (IllegalArgumentException | IllegalStateException refused) {
      // bad options, a database that is not the gate's own, an API call answered otherwise: the message says it all
      System.err.println("gate: " + refused.getMessage());
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

  private static boolean run(GateOptions o, long lagThreshold) throws Exception {
    String tenant = GateDatabase.newTenant();
    Vertx vertx = Vertx.vertx();
    SharedBackends backends = SharedBackends.start(vertx, o.redis());
    GateActivities activities = o.activities() > 0 ? new GateActivities() : null;
    InProcessPlatform platform = null;
    GateApi api = null;
    try {
      GateDatabase.claim(backends, o.redis());
      System.out.println(backends.describe());
      // on a machine already busy before the run, a failed check may be the machine's, not the platform's
      System.out.printf("machine: %d cores, load average %.1f at the start%n",
          Runtime.getRuntime().availableProcessors(), loadAverage());
      PlatformOptions options = new PlatformOptions().setHost("127.0.0.1").setPort(FreePort.pick())
          .setDataDir(Files.createTempDirectory("cs-gate").toString())
          .setKvBackend(BackendNames.KV_REDIS).setRedis(backends.redisSettings())
          .setCodeqBackend(BackendNames.CODEQ_KAFKA).setKafka(backends.kafkaSettings());
      if (activities != null) {
        options.setComponents(Components.ALL).setCadence(activities.cadenceOptions());
      }
      platform = InProcessPlatform.start(options);
      api = new GateApi("http://127.0.0.1:" + platform.port(), platform.token(), tenant);
      return measure(o, lagThreshold, backends, api, activities);
    } finally {
      if (api != null) {
        removeScheduleAndBinding(api, activities != null);
      }
      if (platform != null) {
        platform.close();
      }
      if (activities != null) {
        activities.close();
      }
      backends.deleteTenant(tenant);
      backends.close();
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static boolean measure(GateOptions o, long lagThreshold, SharedBackends backends, GateApi api,
                                 GateActivities activities) throws Exception {
    try (ResultCounter results = new ResultCounter(backends.kafkaBootstrapServers(), api.tenant() + "-counter",
        api.tenant())) {
      api.deploy("echo", "export default { fetch: (req) => new Response('echo ' + new URL(req.url).pathname) };");
      api.deploy("ticker", "export async function handler(event) { return { statusCode: 200, body: 'tick' }; }");
      if (activities != null) {
        activities.bind(api, "activity");
      }
      GateInvokes.awaitFirstAnswer(api, "echo");
      GateTable table = new GateTable();
      try (QueueLagProbe lag = new QueueLagProbe(backends.kafkaBootstrapServers(), Topics.INVOKE, Invoker.GROUP);
           GateDatabase.Watch others = new GateDatabase.Watch(backends, api.tenant())) {
        GateApi.expect(200, api.send("PUT", api.namespacePath() + "/schedules/" + SCHEDULE, new JsonObject()
            .put("function", "ticker").put("ref", "prod").put("every", "1s").put("overlap", "allow")));
        if (activities != null) {
          activities.startLoad(o.activities(), o.durationS());
        }
        GateInvokes invokes = GateInvokes.sustain(api, "echo", o.rate(), o.durationS());
        if (activities != null) {
          activities.awaitLoad();
        }
        GateApi.expect(200, api.send("POST", api.namespacePath() + "/schedules/" + SCHEDULE + "/pause", null));
        long fired = api.schedule(SCHEDULE).getJsonObject("counters").getLong("fired");
        Set<String> activations = ConcurrentHashMap.newKeySet();
        activations.addAll(invokes.accepted());
        List<String> ticks = api.firedTicks(SCHEDULE);
        activations.addAll(ticks);
        long drainedBy = System.currentTimeMillis() + DRAIN_MS;
        GateActivityRows activityRows = activities == null ? null : GateActivityRows.await(activities, drainedBy);
        if (activityRows != null) {
          activations.addAll(activityRows.activationIds());
        }
        while (System.currentTimeMillis() < drainedBy
            && (missing(activations, results) > 0 || results.countOf("ticker") < fired)) {
          Thread.sleep(250);
        }
        long lagAfterDrain = lag.lastLag();
        long accepted = invokes.accepted().size();
        table.row("HTTP invokes accepted / sent", accepted + " / " + invokes.sent(), ">= 99%",
            accepted > 0 && accepted * 100 >= invokes.sent() * 99);
        table.row("schedule ticks fired (counter / listed)", fired + " / " + ticks.size(), "> 0", fired > 0);
        if (activityRows != null) {
          activityRows.addTo(table, results.countOf("activity"));
        } else {
          table.row("Cadence activities", "not run", "--activities 0", true);
        }
        long missing = missing(activations, results);
        // with a queue not drained, a missing result may still be on its way: the lag row tells which
        table.row("activations without a result message", missing + " of " + activations.size()
            + (missing > 0 && lagAfterDrain > 0 ? ", " + lagAfterDrain + " still queued" : ""), "0", missing == 0);
        table.row("activations with two or more result messages", results.duplicated(), "0", results.duplicated() == 0);
        long notTerminal = notTerminal(api, activations);
        table.row("activations without a terminal record", notTerminal + " of " + activations.size(), "0", notTerminal == 0);
        table.row("tick results / ticks fired", results.countOf("ticker") + " / " + fired, "equal",
            results.countOf("ticker") == fired);
        table.row("max queue lag (" + Topics.INVOKE + ", " + Invoker.GROUP + ", " + lag.samples() + " samples)",
            lag.maxLag(), "<= " + lagThreshold, lag.samples() > 0 && lag.maxLag() <= lagThreshold);
        others.addTo(table);
        System.out.printf("%d s of load at %d invokes/s and %d activities/s with a 1 s schedule, tenant %s;"
            + " answers: %s; load average %.1f at the end%n", o.durationS(), o.rate(), o.activities(), api.tenant(),
            invokes.answers(), loadAverage());
        return table.print(System.out);
      }
    }
  }

  /** The gate's schedule and binding go through the API, so the platform-wide registries forget them too. */
  private static void removeScheduleAndBinding(GateApi api, boolean bound) {
    try {
      api.send("DELETE", api.namespacePath() + "/schedules/" + SCHEDULE, null);
      if (bound) {
        api.send("DELETE", api.namespacePath() + "/bindings/" + GateActivities.BINDING, null);
      }
    } catch (Exception failed) {
      // the next gate run on this database removes what a run left (GateDatabase)
      System.err.println("removing the gate's schedule and binding failed: " + failed);
    }
  }

  /** The system's one-minute load average; negative where the platform does not tell. */
  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
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
