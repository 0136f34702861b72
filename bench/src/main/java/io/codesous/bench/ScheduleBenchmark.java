package io.codesous.bench;

import io.codesous.platform.BackendNames;
import io.codesous.platform.Components;
import io.codesous.platform.PlatformOptions;
import io.codesous.runtime.RuntimeOptions;
import io.codesous.scheduler.SchedulerOptions;
import io.codesous.spec.kv.KvKeys;
import io.codesous.store.ScheduleState;
import io.codesous.store.ScheduleStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The scheduler under N schedules that each tick every second ({@code bench/run.sh --schedules N}), in the
 * embedded shape (in-memory KV, in-JVM queue) and in {@code single} (Redis and Kafka), each a platform in this JVM.
 * {@code single} runs the control API and the scheduler only: no invoker, so the numbers are the scheduler's, and
 * its requests wait on the topic (Kafka keeps them all). The embedded shape must run an invoker beside them (its
 * queue reaches no other process), so there the runs share the machine with the scheduler, and the scheduler's
 * results come back and clear markers as in a real embedded server; what the invoker cannot keep up with waits on
 * the in-JVM queue, which refuses publishes beyond its bound (an eighth of the heap); a run refused until its
 * marker expires is recorded {@code lost}. Schedules use {@code allow} and a function whose timeout is 1 s, so no
 * tick is skipped for a run still going on. The function runs with {@code --isolation} ({@code strict}, the
 * platform's default, unless given): two cores run nowhere near ten thousand strict activations a second (about a
 * thousand, {@code --sandbox}), nor warm ones through the whole invoker, so most ticks are lost. {@code runs/s} is
 * what the invoker ended of the scheduled runs per second of the window, {@code lost} the ticks whose runs the queue
 * refused until their markers expired (counted among {@code missed} before).
 *
 * <p>Lag is {@code fired_at_ms - scheduled_at_ms} as each schedule's tick history records it (read back through
 * the API after the run), for every tick scheduled inside the measured window; ticks/s counts those ticks. That time
 * is taken when the scheduler decides a tick, before the tick's state is written and its request published; the
 * published lag ({@link PublishedLag}) runs until the queue acknowledged the request. CPU is
 * this JVM's CPU time over the window divided by the window (1.0 = one core busy), so for {@code single} it
 * includes the Kafka broker in this JVM and excludes Redis. GC / JIT is what the collectors and the JIT compilers
 * report having spent in the window ({@link #gcMs}, {@link #jitMs}).
 */
public final class ScheduleBenchmark {

  private static final String HOST = "127.0.0.1";
  private static final int IN_FLIGHT = 32;
  private static final String TENANT_PREFIX = "bench-sched-";

  private final int schedules;
  private final int warmupS;
  private final int durationS;
  private final List<String> shapes;
  private final String redisUri;
  private final int guestNice;
  private final String isolation;
  private final List<String> rows = new ArrayList<>();

  private ScheduleBenchmark(int schedules, int warmupS, int durationS, List<String> shapes, String redisUri,
                            int guestNice, String isolation) {
    this.schedules = schedules;
    this.warmupS = warmupS;
    this.durationS = durationS;
    this.shapes = shapes;
    this.redisUri = redisUri;
    this.guestNice = guestNice;
    this.isolation = isolation;
  }

  public static void main(String[] args) throws Exception {
    int n = 10_000;
    int warmup = 10;
    int duration = 15;
    List<String> shapes = List.of("embedded", "single");
    String redis = "redis://127.0.0.1:6379";
    int guestNice = RuntimeOptions.DEFAULT_GUEST_NICE;
    String isolation = "strict";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--schedules" -> n = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        case "--duration" -> duration = Integer.parseInt(args[i + 1]);
        case "--shapes" -> shapes = Arrays.asList(args[i + 1].split(","));
        case "--redis" -> redis = args[i + 1];
        case "--guest-nice" -> guestNice = Integer.parseInt(args[i + 1]);
        case "--isolation" -> isolation = args[i + 1];
        default -> throw new IllegalArgumentException("usage: --schedules N [--warmup S] [--duration S] "
            + "[--shapes embedded,single] [--redis URI] [--guest-nice N] [--isolation warm|strict]; unknown "
            + args[i]);
      }
    }
    int status = 0;
    try {
      new ScheduleBenchmark(n, warmup, duration, shapes, redis, guestNice, isolation).run();
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  private void run() throws Exception {
    Vertx client = Vertx.vertx();
    SharedBackends backends = shapes.contains("single") ? SharedBackends.start(client, redisUri) : null;
    try {
      if (backends != null) {
        removeLeftovers(backends, null);
      }
      System.out.println("| shape | ticks/s | lag p50 ms | lag p99 ms | lag max ms | published p50 / p99 ms | fired "
          + "| skipped | caught_up | missed | lost | runs/s | CPU (cores) | GC / JIT ms |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
      for (String shape : shapes) {
        try {
          measure(shape, client, backends);
          System.out.println(rows.get(rows.size() - 1));
        } catch (Exception e) {
          // a shape that fails is reported, and the next one still runs
          // a timeout's message is null: the exception's class says what went wrong
          System.out.println("| " + shape + " | failed: " + e + " |");
        }
      }
    } finally {
      if (backends != null) {
        backends.close();
      }
      client.close().await(30, TimeUnit.SECONDS);
    }
    System.out.printf("schedules=%d every 1s, isolation %s, warmup %d s, measured %d s, %d cores, runtime.guestNice "
        + "%d, load average before each shape and lag by second: see stderr%n", schedules, isolation, warmupS,
        durationS, Runtime.getRuntime().availableProcessors(), guestNice);
  }

  private void measure(String shape, Vertx client, SharedBackends backends) throws Exception {
    String tenant = TENANT_PREFIX + UUID.randomUUID().toString().substring(0, 8) + "-" + shape;
    Path dataDir = Files.createTempDirectory("code-sous-sched-bench-");
    PlatformOptions options = new PlatformOptions().setPort(0).setDataDir(dataDir.toString()).setHttpInstances(1)
        .setComponents(new java.util.LinkedHashSet<>(shape.equals("single")
            ? List.of(Components.CONTROL, Components.GATEWAY, Components.SCHEDULER)
            : List.of(Components.CONTROL, Components.GATEWAY, Components.SCHEDULER,
                Components.INVOKER)))
        .setScheduler(new SchedulerOptions(100, 5_000, 1_000, 10_000));
    options.getRuntime().setGuestNice(guestNice);
    if (shape.equals("single")) {
      options.setKvBackend(BackendNames.KV_REDIS).setRedis(backends.redisSettings().put("commandTimeoutMs", 10_000))
          .setCodeqBackend(BackendNames.CODEQ_KAFKA).setKafka(backends.kafkaSettings());
    }
    System.err.printf("%s: load average %.2f; starting%n", shape,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    InProcessPlatform platform = InProcessPlatform.start(options);
    HttpClient http = client.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
    String auth = "Bearer " + platform.token();
    String base = "/v1/tenants/" + tenant + "/namespaces/default/schedules/s";
    try {
      new HelloFunction(client, http, HOST, platform.port(), tenant, auth)
          .publishManifest(new JsonObject().put("isolation", isolation)
              .put("limits", new JsonObject().put("timeoutMs", 1_000)
                  .put("maxConcurrency", HelloFunction.MAX_CONCURRENCY))).await(60, TimeUnit.SECONDS);
      JsonObject body = new JsonObject().put("function", HelloFunction.NAME).put("ref", HelloFunction.ALIAS)
          .put("every", "1s").put("overlap", "allow");
      long put = System.nanoTime();
      each(client, i -> send(http, platform.port(), auth, HttpMethod.PUT, base + i, body));
      System.err.printf("%s: %d schedules put in %.1f s; warming up %d s%n", shape, schedules,
          (System.nanoTime() - put) / 1e9, warmupS);
      Thread.sleep(warmupS * 1000L);
      // the window is whole seconds of scheduled times: a window a few ms longer than its seconds (a sleep that
      // overslept on a busy machine) held one second of ticks more, and showed more ticks a second than schedules
      long fromMs = (System.currentTimeMillis() / 1000 + 1) * 1000;
      long toMs = fromMs + durationS * 1000L;
      Thread.sleep(Math.max(0, fromMs - System.currentTimeMillis()));
      PublishedLag published = new PublishedLag(platform.platform().registry());
      double runsFrom = runsEnded(platform);
      published.start();
      long cpuFrom = cpuNanos();
      long gcFrom = gcMs();
      long jitFrom = jitMs();
      long cpuFromMs = System.currentTimeMillis();
      Thread.sleep(Math.max(0, toMs - System.currentTimeMillis()));
      long publishedP50 = published.percentileMs(0.50);
      long publishedP99 = published.percentileMs(0.99);
      long windowMs = System.currentTimeMillis() - cpuFromMs;
      double cores = (cpuNanos() - cpuFrom) / 1e6 / windowMs;
      long gcInWindowMs = gcMs() - gcFrom;
      long jitInWindowMs = jitMs() - jitFrom;
      double runsPerS = (runsEnded(platform) - runsFrom) * 1000.0 / windowMs;
      // the last tick of the window may still be in flight: let it land, then stop the ticks so the histories
      // (the last TICKS_KEPT ticks of each schedule) still hold the whole window when they are read
      Thread.sleep(2_000);
      // a pause refused (a busy store) only leaves that schedule ticking: its window is still in its history
      each(client, i -> send(http, platform.port(), auth, HttpMethod.POST, base + i + "/pause", new JsonObject())
          .recover(refused -> Future.succeededFuture()));
      List<Long> lags = new ArrayList<>();
      java.util.TreeMap<Long, List<Long>> lagsBySecond = new java.util.TreeMap<>();
      long[] outcomes = new long[5];
      java.util.Map<Integer, JsonObject> histories = new java.util.TreeMap<>();
      each(client, i -> send(http, platform.port(), auth, HttpMethod.GET, base + i + "/ticks?limit=" + ScheduleState.TICKS_KEPT, null)
          .map(ticks -> {
            synchronized (histories) {
              histories.put(i, ticks);
            }
            return ticks;
          }));
      // the lag of each lane's share (a schedule's lane is its registry entry's hash, as the scheduler takes it): a
      // lane whose event loop also carries other work finishes its share of a second later than the others
      int lanes = options.getScheduler().lanes();
      List<List<Long>> lagsByLane = new ArrayList<>();
      for (int lane = 0; lane < lanes; lane++) {
        lagsByLane.add(new ArrayList<>());
      }
      for (java.util.Map.Entry<Integer, JsonObject> schedule : histories.entrySet()) {
        int lane = Math.floorMod(ScheduleStore.entry(tenant, "default", "s" + schedule.getKey()).hashCode(), lanes);
        JsonObject history = schedule.getValue();
        for (Object t : history.getJsonArray("ticks", new JsonArray())) {
          JsonObject tick = (JsonObject) t;
          long at = tick.getLong("scheduled_at_ms");
          if (at < fromMs || at >= toMs) {
            continue;
          }
          String outcome = tick.getString("outcome");
          switch (outcome) {
            case "fired" -> outcomes[0]++;
            case "skipped_overlap" -> outcomes[1]++;
            case "caught_up" -> outcomes[2]++;
            case "lost" -> outcomes[4]++;
            default -> outcomes[3] += tick.getLong("count", 1L);
          }
          Long firedAt = tick.getLong("fired_at_ms");
          if (firedAt != null) {
            lags.add(firedAt - at);
            lagsBySecond.computeIfAbsent(at / 1000, k -> new ArrayList<>()).add(firedAt - at);
            lagsByLane.get(lane).add(firedAt - at);
          }
        }
      }
      lags.sort(null);
      lagsBySecond.forEach((second, ofSecond) -> {
        ofSecond.sort(null);
        System.err.printf("%s: second %d: lag p50 %d, max %d ms%n", shape, second - fromMs / 1000,
            pct(ofSecond, 0.50), ofSecond.get(ofSecond.size() - 1));
      });
      for (int lane = 0; lane < lanes; lane++) {
        List<Long> ofLane = lagsByLane.get(lane);
        ofLane.sort(null);
        System.err.printf("%s: lane %d: %d ticks, lag p50 %d, p99 %d ms%n", shape, lane, ofLane.size(),
            pct(ofLane, 0.50), pct(ofLane, 0.99));
      }
      long ticks = outcomes[0] + outcomes[1] + outcomes[2] + outcomes[3] + outcomes[4];
      rows.add(String.format("| %s | %.0f | %d | %d | %d | %d / %d | %d | %d | %d | %d | %d | %.0f | %.2f | %d / %d |", shape,
          ticks * 1000.0 / (toMs - fromMs), pct(lags, 0.50), pct(lags, 0.99),
          lags.isEmpty() ? -1 : lags.get(lags.size() - 1), publishedP50, publishedP99, outcomes[0], outcomes[1],
          outcomes[2], outcomes[3], outcomes[4], runsPerS, cores, gcInWindowMs, jitInWindowMs));
      each(client, i -> send(http, platform.port(), auth, HttpMethod.DELETE, base + i, null));
    } finally {
      http.close();
      platform.close();
      if (backends != null) {
        removeLeftovers(backends, tenant);
      }
    }
  }

  /**
   * Removes the schedules of {@code tenant} ({@code null}: of every run of this benchmark) from Redis: their keys
   * and their entries in the platform-wide registries the scheduler walks. A run whose schedules were not deleted
   * through the API (a shape that failed half way, a run killed) would otherwise leave them to the next run's
   * scheduler, which steps every registered schedule whatever its tenant (a killed run and a shape refused half way
   * through its puts once left 10,000 documents and 17,808 registry entries). Runs of this benchmark do not share a
   * Redis database with one another, so at the start all of them are leftovers.
   */
  private static void removeLeftovers(SharedBackends backends, String tenant) throws Exception {
    SharedBackends.Removed removed = backends.removeRegisteredTenants(
        List.of(KvKeys.scheduleRegistry(), KvKeys.scheduleChanges()),
        of -> tenant == null ? of.startsWith(TENANT_PREFIX) : of.equals(tenant));
    if (tenant != null && removed.tenants() == 0) {
      // its keys go even where none of its schedules was registered (a shape refused before its first put)
      backends.deleteTenant(tenant);
    } else if (tenant == null && removed.entries() > 0) {
      System.err.printf("removed what earlier runs left in Redis: %d registry entries, %d keys of %d tenants%n",
          removed.entries(), removed.keys(), removed.tenants());
    }
  }

  private static long pct(List<Long> sorted, double p) {
    return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
  }

  /**
   * What the collectors report as spent collecting (G1: its pauses, and on newer JDKs its concurrent cycles), in ms
   * since the JVM started: runs of the same build differed twofold in CPU, and a profile put most of the difference
   * in the collector's and the compiler's threads, so each row says how much of its window went there.
   */
  private static long gcMs() {
    long ms = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, collector.getCollectionTime());
    }
    return ms;
  }

  /** The JIT compilers' time since the JVM started, in ms (see {@link #gcMs}). */
  /**
   * Runs of scheduled ticks the invoker ended so far ({@code cs.activations} with trigger {@code schedule}, any
   * status); 0 in the shape without an invoker.
   */
  private static double runsEnded(InProcessPlatform platform) {
    return platform.platform().registry().find("cs.activations").tag("trigger", "schedule").counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
  }

  private static long jitMs() {
    CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    return compiler != null && compiler.isCompilationTimeMonitoringSupported() ? compiler.getTotalCompilationTime()
        : -1;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * Runs {@code call(i)} for every schedule, {@link #IN_FLIGHT} at a time, each call made on one event-loop context.
   * Made from this (non-Vert.x) thread, every request got a context of its own, and now and then one of them never
   * completed after the server had answered it: the server's sockets showed the last bytes sent after the last ones
   * received, and the client's connections sat idle, so the run failed with a TimeoutException reading the ticks.
   */
  private void each(Vertx client, IntFunction<Future<?>> call) throws Exception {
    Context caller = client.getOrCreateContext();
    List<Future<?>> window = new ArrayList<>();
    for (int i = 0; i < schedules; i++) {
      int schedule = i;
      Promise<Object> made = Promise.promise();
      caller.runOnContext(ignored -> call.apply(schedule).onComplete(outcome -> made.handle(outcome.map(v -> (Object) v))));
      window.add(made.future());
      if (window.size() == IN_FLIGHT) {
        Future.all(window).await(120, TimeUnit.SECONDS);
        window.clear();
      }
    }
    Future.all(window).await(120, TimeUnit.SECONDS);
  }

  private static Future<JsonObject> send(HttpClient http, int port, String auth, HttpMethod method, String uri,
                                         JsonObject body) {
    RequestOptions request = new RequestOptions().setMethod(method).setHost(HOST).setPort(port).setURI(uri)
        .putHeader(HttpHeaders.AUTHORIZATION, auth).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    return http.request(request)
        .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
        .compose(resp -> resp.body().compose((Buffer answer) -> resp.statusCode() / 100 == 2
            ? Future.succeededFuture(new JsonObject(answer))
            : Future.failedFuture(method + " " + uri + ": HTTP " + resp.statusCode() + " " + answer)));
  }
}
