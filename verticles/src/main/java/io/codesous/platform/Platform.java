package io.codesous.platform;

import io.codesous.cadence.CadencePoller;
import io.codesous.codeq.CodeQ;
import io.codesous.component.ComponentVerticle;
import io.codesous.control.DraftAnnouncer;
import io.codesous.control.ParseAhead;
import io.codesous.egress.EgressClient;
import io.codesous.gateway.Gateway;
import io.codesous.http.AccessControl;
import io.codesous.http.Authentication;
import io.codesous.invoker.host.HostServices;
import io.codesous.invoker.DrainPolicy;
import io.codesous.invoker.Invoker;
import io.codesous.kv.KvStore;
import io.codesous.runtime.JsRuntime;
import io.codesous.runtime.WarmUpOutcome;
import io.codesous.scheduler.Scheduler;
import io.codesous.scheduler.SchedulerOptions;
import io.codesous.observe.ActivationMeters;
import io.codesous.observe.AuthMeters;
import io.codesous.observe.EgressMeters;
import io.codesous.observe.InvokeMeters;
import io.codesous.observe.Metrics;
import io.codesous.observe.ObservabilityOptions;
import io.codesous.observe.QueueLag;
import io.codesous.observe.Tracing;
import io.codesous.spec.message.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of one code-sous process: it picks the KV and queue backends and the
 * components from {@link PlatformOptions} and passes them in through constructors. With default
 * options it is the embedded shape: every component in one JVM over the in-memory KV and the
 * in-JVM queue. It is the only place that chooses implementations.
 */
public final class Platform {

  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

  private final Vertx vertx;
  private final PlatformOptions options;
  private final Metrics metrics;
  private final Tracing tracing;
  private final MeterRegistry registry;
  private final LongSupplier clock;
  private final SchedulerOptions schedulerOptions;
  private final List<String> deployments = new ArrayList<>();
  private KvStore kv;
  private CodeQ codeq;
  private JsRuntime runtime;
  private ControlPlane control;
  private EgressClient egress;
  private CadenceConnection cadence;
  private final Elections elections = new Elections();
  private Security security;
  private HttpListeners listeners;
  private QueueLag invokeLag;

  private Platform(Vertx vertx, PlatformOptions options, Metrics metrics, Tracing tracing, LongSupplier clock,
                   SchedulerOptions schedulerOptions) {
    this.tracing = tracing;
    this.vertx = vertx;
    this.options = options;
    this.metrics = metrics;
    this.registry = metrics.registry();
    this.clock = clock;
    this.schedulerOptions = schedulerOptions;
  }

  /** How often the invoke topic's lag is sampled: well under a Prometheus scrape interval. */
  private static final long LAG_SAMPLE_MS = 5_000;

  /** Starts everything; the future carries the running platform once its HTTP port listens. */
  public static Future<Platform> start(Vertx vertx, PlatformOptions options) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(options, "options");
    return start(vertx, options, new Metrics());
  }

  /**
   * Starts everything with the process's metrics: those the Vert.x instance was created with (see
   * {@link VertxFactory#create(PlatformOptions, Metrics)}), so its HTTP, event bus and pool meters are scraped too.
   */
  public static Future<Platform> start(Vertx vertx, PlatformOptions options, Metrics metrics) {
    Objects.requireNonNull(options, "options");
    return start(vertx, options, metrics, Tracing.create(options.getObservability()));
  }

  /** Starts everything with the process's metrics and the tracer given (a test's in-memory exporter). */
  public static Future<Platform> start(Vertx vertx, PlatformOptions options, Metrics metrics, Tracing tracing) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(options, "options");
    Platform platform = new Platform(vertx, options, Objects.requireNonNull(metrics, "metrics"),
        Objects.requireNonNull(tracing, "tracing"), System::currentTimeMillis, options.getScheduler());
    return platform.startAll().map(platform);
  }

  /**
   * Starts everything on a clock of the caller's and with the scheduler paced as given: what lets a test drive
   * schedules through hours of ticks without waiting for them.
   */
  public static Future<Platform> start(Vertx vertx, PlatformOptions options, LongSupplier clock,
                                       SchedulerOptions schedulerOptions) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(options, "options");
    Platform platform = new Platform(vertx, options, new Metrics(), Tracing.create(options.getObservability()),
        Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(schedulerOptions, "schedulerOptions"));
    return platform.startAll().map(platform);
  }

  private Future<Void> startAll() {
    try {
      options.checkShape();
    } catch (IllegalArgumentException refused) {
      return Future.failedFuture(refused);
    }
    try {
      Files.createDirectories(Path.of(options.getDataDir()));
    } catch (IOException e) {
      return Future.failedFuture(new UncheckedIOException("cannot create data directory " + options.getDataDir(), e));
    }
    kv = Backends.kv(vertx, options, registry);
    codeq = Backends.codeq(vertx, options, kv);
    return Security.create(vertx, options, codeq)
        .compose(created -> {
          security = created;
          return kv.start();
        })
        .compose(v -> codeq.start())
        // a queue adapter starts without its broker (its clients reconnect for ever, which hid a wrong address
        // under thousands of client log lines): one ask at start turns that into one sentence, as the KV's start does
        .compose(v -> queueAnswers(System.nanoTime() + QUEUE_START_BUDGET_NS))
        .compose(v -> security.start())
        .compose(v -> buildRuntime())
        .compose(v -> startComponents())
        // once the invoker reads cs.invoke: the in-JVM queue keeps only the newest 1,000 messages of a topic that no
        // group reads yet, and what a crash left accepted may be more
        .compose(v -> codeq instanceof JournaledCodeQ journaled ? journaled.republishAccepted().mapEmpty()
            : Future.<Void>succeededFuture());
  }

  /**
   * How long a start waits for the queue to answer: a broker on a busy machine can take several pings to answer its
   * first one, and a process that gives up at once would fail where waiting a little succeeds.
   */
  private static final long QUEUE_START_BUDGET_NS = TimeUnit.SECONDS.toNanos(20);

  private Future<Void> queueAnswers(long deadlineNs) {
    return codeq.ping().recover(unreachable -> System.nanoTime() < deadlineNs
        ? Future.<Void>future(p -> vertx.setTimer(500, t -> p.complete())).compose(v -> queueAnswers(deadlineNs))
        : Future.failedFuture(new IllegalStateException("the queue (codeq." + options.getCodeqBackend()
            + ") does not answer: " + unreachable.getMessage())));
  }

  /**
   * The sandbox of an invoker process, built on a worker thread: building the GraalJS engine loads and initialises
   * the language (1–7 s on a cold JVM, seen as Vert.x blocked-thread warnings on vert.x-eventloop-thread-0 when it
   * ran here, on the context the start continues on).
   */
  private Future<Void> buildRuntime() {
    if (!options.runs(Components.INVOKER)) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> new JsRuntime(options.getRuntime()), false)
        .onSuccess(built -> {
          runtime = built;
          if (options.getRuntime().getWarmUpRounds() > 0) {
            built.warmUp().thenAccept(Platform::logWarmUp);
          }
        })
        .mapEmpty();
  }

  /**
   * Where the control API has an uploaded draft parsed: on a queue that reaches other processes, every invoker of
   * the deployment hears of it ({@code cs.drafts}), this process's too; on an in-JVM queue only an invoker in this
   * process can run the draft's versions, and it gets the draft handed over, without reading it back from the store.
   */
  private ParseAhead parseAhead() {
    if (!BackendNames.EMBEDDED.equals(options.getCodeqBackend())) {
      return new DraftAnnouncer(codeq, clock);
    }
    return runtime != null ? SandboxParseAhead.of(runtime, options.getInvoker(), registry) : ParseAhead.NONE;
  }

  private static void logWarmUp(WarmUpOutcome outcome) {
    if (outcome.complete()) {
      LOG.info("sandbox warmed up: {} rounds in {} ms", outcome.roundsRun(), outcome.elapsedMs());
    } else {
      LOG.info("sandbox warm-up stopped after {} of {} rounds ({} ms): {}", outcome.roundsRun(),
          outcome.roundsAsked(), outcome.elapsedMs(), outcome.stoppedBecause());
    }
  }

  private Future<Void> startComponents() {
    String instanceId = String.join("+", options.getComponents()) + "-" + UUID.randomUUID().toString().substring(0, 8);
    Stores stores = Stores.over(kv, security.secretBox(), clock, options);
    AuthMeters authMeters = new AuthMeters(registry);
    AccessControl access = new AccessControl(security.authorizer(), security.audit(), authMeters);
    Authentication authentication = new Authentication(security.verifier(), authMeters);
    if (options.runs(Components.CONTROL)) {
      control = new ControlPlane(vertx, stores, kv, codeq, access, options.getControl(), clock, parseAhead());
    }
    Scheduler scheduler = options.runs(Components.SCHEDULER)
        ? new Scheduler(vertx, stores.schedules(), stores.functions(), codeq, schedulerOptions,
            "scheduler-" + instanceId, clock, registry,
            elections.election(vertx, kv, schedulerOptions, instanceId, clock)) : null;
    CadencePoller poller = null;
    if (options.runs(Components.CADENCE_POLLER)) {
      try {
        cadence = CadenceConnection.open(options.getCadence());
      } catch (IllegalArgumentException unconfigured) {
        return Future.failedFuture(unconfigured);
      }
      poller = new CadencePoller(vertx, stores.bindings(), stores.functions(), codeq, kv, stores.queuedCancels(),
          options.getCadence(), cadence.service(), "cadence-" + instanceId, clock, registry);
    }
    Health health = new Health(kv, codeq, scheduler == null ? null : scheduler::leads,
        poller == null ? null : poller::reachable);
    ObservabilityOptions observability = options.getObservability();
    InvokeMeters invokeMeters = new InvokeMeters(registry);
    invokeLag = new QueueLag(vertx, codeq, registry, Topics.INVOKE, Invoker.GROUP).start(LAG_SAMPLE_MS);
    Invoker invoker = null;
    if (options.runs(Components.INVOKER)) {
      egress = new EgressClient(vertx, options.getEgress());
      invoker = new Invoker(vertx, stores.functions(), stores.activations(), codeq, runtime, options.getInvoker(),
          instanceId, clock, registry, new ActivationMeters(registry, observability), tracing,
          new HostServices(kv, codeq, egress, new EgressMeters(registry)),
          security.authorizer(), stores.secrets(),
          // an in-JVM queue dies with the process: a clean stop finishes everything it holds
          BackendNames.EMBEDDED.equals(options.getCodeqBackend()) ? DrainPolicy.WHOLE_QUEUE : DrainPolicy.TAKEN);
    }
    AtomicInteger instance = new AtomicInteger();
    Supplier<Gateway> gateways = options.runs(Components.GATEWAY)
        ? () -> new Gateway(vertx, stores.functions(), stores.activations(), codeq, access, options.getGateway(),
            instanceId + "-" + instance.getAndIncrement(), clock, invokeMeters, tracing)
        : null;
    listeners = new HttpListeners(vertx, options, health);
    Invoker startedInvoker = invoker;
    CadencePoller startedPoller = poller;
    return Future.<Void>succeededFuture()
        .compose(v -> startedInvoker == null ? Future.succeededFuture() : deploy(new ComponentVerticle(startedInvoker)))
        .compose(v -> scheduler == null ? Future.succeededFuture() : deploy(new ComponentVerticle(scheduler)))
        .compose(v -> startedPoller == null ? Future.succeededFuture() : deploy(new ComponentVerticle(startedPoller)))
        .compose(v -> listeners.deployApi(authentication, gateways, control).onSuccess(deployments::add))
        .compose(id -> observability.isManagementEnabled()
            ? listeners.deployManagement(metrics).onSuccess(deployments::add).<Void>mapEmpty()
            : Future.succeededFuture());
  }

  private Future<Void> deploy(ComponentVerticle verticle) {
    return vertx.deployVerticle(verticle).onSuccess(deployments::add).mapEmpty();
  }

  public int port() {
    return listeners == null ? 0 : listeners.port();
  }

  public String host() {
    return options.getHost();
  }

  /** The management listener's port, or -1 when {@code management.enabled} is false. */
  public int managementPort() {
    return listeners == null ? -1 : listeners.managementPort();
  }

  /** Tokens, roles, audit and secrets of this process. */
  public Security security() {
    return security;
  }

  /** The queue this process publishes to and consumes from, once started. */
  CodeQ codeq() {
    return codeq;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Stops the HTTP servers first (each with its gateway), then the invoker, then the backends. */
  public Future<Void> stop() {
    if (invokeLag != null) {
      invokeLag.stop();
    }
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.compose(v -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    return chain
        .compose(v -> security == null ? Future.succeededFuture() : security.stop())
        .compose(v -> codeq.stop())
        .compose(v -> kv.stop())
        .onComplete(ar -> {
          if (runtime != null) {
            runtime.close();
          }
          if (control != null) {
            control.close();
          }
          if (egress != null) {
            egress.close();
          }
          if (cadence != null) {
            cadence.close();
          }
          metrics.close();
          tracing.close();
          elections.close();
        });
  }
}
