package io.codesous.platform;

import com.uber.cadence.serviceclient.ClientOptions;
import com.uber.cadence.serviceclient.IWorkflowService;
import com.uber.cadence.serviceclient.WorkflowServiceGrpc;
import io.codesous.cadence.CadenceOptions;
import io.codesous.cadence.CadencePoller;
import io.codesous.codeq.CodeQ;
import io.codesous.component.ComponentVerticle;
import io.codesous.control.ActivationCancelApi;
import io.codesous.control.BindingApi;
import io.codesous.control.ControlApi;
import io.codesous.control.ScheduleApi;
import io.codesous.control.VersionAnnouncer;
import io.codesous.control.ValidationPool;
import io.codesous.egress.EgressClient;
import io.codesous.gateway.Gateway;
import io.codesous.http.AccessControl;
import io.codesous.http.Authentication;
import io.codesous.invoker.host.HostServices;
import io.codesous.invoker.DrainPolicy;
import io.codesous.invoker.Invoker;
import io.codesous.kv.KvStore;
import io.codesous.runtime.JsRuntime;
import io.codesous.runtime.ModuleCheck;
import io.codesous.scheduler.KubernetesLeaseElection;
import io.codesous.scheduler.KvLeaseElection;
import io.codesous.scheduler.LeaderElection;
import io.codesous.scheduler.Scheduler;
import io.codesous.scheduler.SchedulerOptions;
import io.codesous.store.ActivationStore;
import io.codesous.store.QueuedCancels;
import io.codesous.store.BindingStore;
import io.codesous.store.FunctionStore;
import io.codesous.store.ScheduleStore;
import io.codesous.store.SecretStore;
import io.codesous.observe.ActivationMeters;
import io.codesous.observe.AuthMeters;
import io.codesous.observe.EgressMeters;
import io.codesous.observe.InvokeMeters;
import io.codesous.observe.Metrics;
import io.codesous.observe.ObservabilityOptions;
import io.codesous.observe.QueueLag;
import io.codesous.observe.Tracing;
import io.codesous.spec.message.Topics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The composition root of one code-sous process: it picks the KV and queue backends and the
 * components from {@link PlatformOptions} and passes them in through constructors. With default
 * options it is the embedded shape: every component in one JVM over the in-memory KV and the
 * in-JVM queue. It is the only place that chooses implementations.
 */
public final class Platform {

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
  private ModuleCheck modules;
  private EgressClient egress;
  private IWorkflowService ownCadence;
  private KubernetesClient kubernetes;
  private Security security;
  private int port;
  private int managementPort = -1;
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

  /** Starts everything; the future carries the running platform once its HTTP port listens. */
  /** How often the invoke topic's lag is sampled: well under a Prometheus scrape interval. */
  private static final long LAG_SAMPLE_MS = 5_000;

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
        // before any invoker subscribes, so what a crash left accepted is among the first it is handed
        .compose(v -> codeq instanceof JournaledCodeQ journaled ? journaled.republishAccepted().mapEmpty()
            : Future.<Void>succeededFuture())
        .compose(v -> buildRuntime())
        .compose(v -> startComponents());
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
    if (!options.runs(PlatformOptions.INVOKER)) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> new JsRuntime(options.getRuntime()), false)
        .onSuccess(built -> runtime = built)
        .mapEmpty();
  }

  private Future<Void> startComponents() {
    String instanceId = String.join("+", options.getComponents()) + "-" + UUID.randomUUID().toString().substring(0, 8);
    FunctionStore functions = new FunctionStore(kv, clock);
    ActivationStore activations = new ActivationStore(kv, clock,
        Duration.ofMillis(options.getInvoker().getActivationRetentionMs()));
    SecretStore secrets = new SecretStore(kv, security.secretBox(), clock);
    AuthMeters authMeters = new AuthMeters(registry);
    AccessControl access = new AccessControl(security.authorizer(), security.audit(), authMeters);
    Authentication authentication = new Authentication(security.verifier(), authMeters);
    ControlApi control = options.runs(PlatformOptions.CONTROL)
        ? new ControlApi(functions, activations, secrets, access, options.getControl(),
            ValidationPool.create(vertx, options.getControl().getValidationThreads()), moduleCheck(),
            new VersionAnnouncer(codeq))
        : null;
    ScheduleStore scheduleStore = new ScheduleStore(kv, clock);
    ScheduleApi scheduleApi = options.runs(PlatformOptions.CONTROL)
        ? new ScheduleApi(scheduleStore, functions, access, options.getControl(), clock) : null;
    Scheduler scheduler = options.runs(PlatformOptions.SCHEDULER)
        ? new Scheduler(vertx, scheduleStore, functions, codeq, schedulerOptions, "scheduler-" + instanceId, clock,
            registry, election(instanceId)) : null;
    BindingStore bindingStore = new BindingStore(kv, clock);
    QueuedCancels queuedCancels = new QueuedCancels(kv, clock,
        Duration.ofMillis(options.getInvoker().getActivationRetentionMs()));
    ActivationCancelApi cancelApi = options.runs(PlatformOptions.CONTROL)
        ? new ActivationCancelApi(queuedCancels, CadencePoller.waitingTasks(kv), codeq, access, clock) : null;
    BindingApi bindingApi = options.runs(PlatformOptions.CONTROL)
        ? new BindingApi(bindingStore, functions, access, options.getControl(), vertx.eventBus()) : null;
    CadencePoller poller = null;
    if (options.runs(PlatformOptions.CADENCE_POLLER)) {
      CadenceOptions cadence = options.getCadence();
      if (cadence == null) {
        return Future.failedFuture(new IllegalArgumentException(
            "the cadence-poller component needs a cadence section (host, port) in the configuration"));
      }
      IWorkflowService service = cadence.getService();
      if (service == null) {
        // the client's default port is the old Thrift one; its gRPC transport needs the port set explicitly
        ownCadence = new WorkflowServiceGrpc(ClientOptions.newBuilder().setHost(cadence.getHost())
            .setPort(cadence.getPort()).build());
        service = ownCadence;
      }
      poller = new CadencePoller(vertx, bindingStore, functions, codeq, kv, queuedCancels, cadence, service,
          "cadence-" + instanceId, clock, registry);
    }
    Health health = new Health(kv, codeq, scheduler == null ? null : scheduler::leads,
        poller == null ? null : poller::reachable);
    ObservabilityOptions observability = options.getObservability();
    InvokeMeters invokeMeters = new InvokeMeters(registry);
    invokeLag = new QueueLag(vertx, codeq, registry, Topics.INVOKE, Invoker.GROUP).start(LAG_SAMPLE_MS);
    Invoker invoker = null;
    if (options.runs(PlatformOptions.INVOKER)) {
      egress = new EgressClient(vertx, options.getEgress());
      invoker = new Invoker(vertx, functions, activations, codeq, runtime, options.getInvoker(), instanceId, clock,
          registry, new ActivationMeters(registry, observability), tracing,
          new HostServices(kv, codeq, egress, new EgressMeters(registry)),
          security.authorizer(), secrets,
          // an in-JVM queue dies with the process: a clean stop finishes everything it holds
          PlatformOptions.EMBEDDED.equals(options.getCodeqBackend()) ? DrainPolicy.WHOLE_QUEUE : DrainPolicy.TAKEN);
    }
    Invoker startedInvoker = invoker;
    CadencePoller startedPoller = poller;
    ApiServerVerticle[] first = new ApiServerVerticle[1];
    return Future.<Void>succeededFuture()
        .compose(v -> startedInvoker == null ? Future.succeededFuture() : deploy(new ComponentVerticle(startedInvoker)))
        .compose(v -> scheduler == null ? Future.succeededFuture() : deploy(new ComponentVerticle(scheduler)))
        .compose(v -> startedPoller == null ? Future.succeededFuture() : deploy(new ComponentVerticle(startedPoller)))
        .compose(v -> {
          int instances = options.getPort() == 0 ? 1 : options.getHttpInstances();
          AtomicInteger instance = new AtomicInteger();
          return vertx.deployVerticle(() -> {
            // one gateway per HTTP event loop, with a reply route of its own: results reach the loop that
            // holds the request directly
            Gateway gateway = options.runs(PlatformOptions.GATEWAY) ? new Gateway(vertx, functions, activations,
                codeq, access, options.getGateway(), instanceId + "-" + instance.getAndIncrement(), clock,
                invokeMeters, tracing) : null;
            ApiServerVerticle server = new ApiServerVerticle(options.getHost(), options.getPort(), router -> {
              health.mount(router);
              // every API route, and only those, needs a token; health stays open for probes
              router.route("/v1/*").handler(authentication);
              // the gateway before the control API: a web request is then matched by one prefix route, without
              // first trying every control route's pattern (no control path starts with /v1/web/)
              if (gateway != null) {
                gateway.mount(router);
              }
              if (control != null) {
                control.mount(router);
                scheduleApi.mount(router);
                bindingApi.mount(router);
                cancelApi.mount(router);
              }
            }, gateway == null ? List.of() : List.of(gateway));
            if (first[0] == null) {
              first[0] = server;
            }
            return server;
          }, new DeploymentOptions().setInstances(instances)).onSuccess(deployments::add);
        })
        .compose(id -> {
          port = first[0].actualPort();
          return observability.isManagementEnabled() ? startManagement(health, observability) : Future.succeededFuture();
        });
  }

  /** {@code /metrics}, {@code /healthz} and {@code /readyz} on the management address, apart from the API. */
  private Future<Void> startManagement(Health health, ObservabilityOptions observability) {
    ApiServerVerticle server = new ApiServerVerticle(observability.getManagementHost(),
        observability.getManagementPort(), router -> {
          health.mount(router);
          router.get("/metrics").handler(ctx -> metrics.serve(vertx, ctx));
        }, List.of());
    return vertx.deployVerticle(server).onSuccess(deployments::add)
        .map(id -> {
          managementPort = server.actualPort();
          return null;
        });
  }

  private ModuleCheck moduleCheck() {
    modules = new ModuleCheck();
    return modules;
  }

  /**
   * The scheduler's election as configured; a Kubernetes client finds its cluster as kubectl does (in a pod, its
   * service account; elsewhere, the kubeconfig).
   */
  private LeaderElection election(String instanceId) {
    if (SchedulerOptions.ELECTION_KUBERNETES.equals(schedulerOptions.election())) {
      kubernetes = new KubernetesClientBuilder().build();
      return new KubernetesLeaseElection(vertx, kubernetes, schedulerOptions.leaseNamespace(),
          schedulerOptions.leaseName(), instanceId, schedulerOptions.leaseMs());
    }
    return new KvLeaseElection(kv, instanceId, schedulerOptions.leaseMs(), clock);
  }

  private Future<Void> deploy(ComponentVerticle verticle) {
    return vertx.deployVerticle(verticle).onSuccess(deployments::add).mapEmpty();
  }

  public int port() {
    return port;
  }

  public String host() {
    return options.getHost();
  }

  /** The management listener's port, or -1 when {@code management.enabled} is false. */
  public int managementPort() {
    return managementPort;
  }

  /** Tokens, roles, audit and secrets of this process. */
  public Security security() {
    return security;
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
          if (modules != null) {
            modules.close();
          }
          if (egress != null) {
            egress.close();
          }
          if (ownCadence != null) {
            ownCadence.close();
          }
          metrics.close();
          tracing.close();
          if (kubernetes != null) {
            kubernetes.close();
          }
        });
  }
}
