package io.codesous.invoker;

import io.codesous.auth.authz.Authorizer;
import io.codesous.codeq.CodeQ;
import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.DeadLetters;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.component.Lifecycle;
import io.codesous.invoker.host.HostServices;
import io.codesous.runtime.ExecutionResult;
import io.codesous.runtime.JsRuntime;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.MalformedMessageException;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.codesous.store.ActivationStore;
import io.codesous.store.FunctionStore;
import io.codesous.store.SecretStore;
import io.codesous.observe.ActivationMeters;
import io.codesous.observe.LogContext;
import io.codesous.observe.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Consumes {@code cs.invoke}: decodes each message, hands the request to the {@link ActivationRunner} and, once
 * its result is recorded and published, acknowledges it; a request that must be retried is given back after the
 * retry delay, and one no invoker can understand goes to the dead-letter topic. The parts of one activation's
 * run are classes of their own: {@link ActivationRunner} (claim, slots, retries), {@link SandboxExecution}
 * (authorization, secrets, the sandbox), {@link OutcomeRecorder} (logs and outcome) and {@link ResultPublisher}
 * (reply route and {@code cs.results}).
 */
public class Invoker implements Lifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(Invoker.class);
  public static final String GROUP = "invokers";
  public static final String POOL_NAME = SandboxPool.NAME;

  private final Vertx vertx;
  private final CodeQ codeq;
  private final JsRuntime runtime;
  private final InvokerOptions options;
  private final String invokerId;
  private final LongSupplier clockMs;
  private final SandboxPool pool;
  private final ActivationRunner runner;
  private final PublishedVersions publishedVersions;
  /** {@code null} when the invoker prepares no versions: then neither it nor {@link #publishedVersions} runs. */
  private final StoredDrafts storedDrafts;
  private final CancelListener cancels;
  private final DrainPolicy drainPolicy;
  private final InFlight inFlight = new InFlight();
  private final Tracing tracing;
  private CodeQSubscription subscription;

  /** An invoker that drains only what it took ({@link DrainPolicy#TAKEN}). */
  public Invoker(Vertx vertx, FunctionStore functions, ActivationStore activations, CodeQ codeq, JsRuntime runtime,
                 InvokerOptions options, String invokerId, LongSupplier clockMs, MeterRegistry registry,
                 ActivationMeters meters, Tracing tracing, HostServices host, Authorizer authorizer,
                 SecretStore secrets) {
    this(vertx, functions, activations, codeq, runtime, options, invokerId, clockMs, registry, meters, tracing, host,
        authorizer, secrets, DrainPolicy.TAKEN);
  }

  public Invoker(Vertx vertx, FunctionStore functions, ActivationStore activations, CodeQ codeq, JsRuntime runtime,
                 InvokerOptions options, String invokerId, LongSupplier clockMs, MeterRegistry registry,
                 ActivationMeters meters, Tracing tracing, HostServices host, Authorizer authorizer,
                 SecretStore secrets, DrainPolicy drainPolicy) {
    this.drainPolicy = Objects.requireNonNull(drainPolicy, "drainPolicy");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.codeq = Objects.requireNonNull(codeq, "codeq");
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.options = Objects.requireNonNull(options, "options");
    this.invokerId = Objects.requireNonNull(invokerId, "invokerId");
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    this.pool = new SandboxPool(vertx, options.getWorkerPoolSize(), options.getTenantShare(),
        runtime.guestNice());
    BundleCache cache = new BundleCache(Objects.requireNonNull(functions, "functions"), pool,
        new VersionPreparation(runtime, pool, options.getMaxLogLines(), options.isPrepareVersions(),
            registry), options.getBundleCacheSize(),
        registry);
    this.publishedVersions = new PublishedVersions(codeq, cache, invokerId, clockMs);
    // an invoker that prepares no versions asks for no work in the sandbox before an activation
    this.storedDrafts = options.isPrepareVersions() ? new StoredDrafts(codeq, functions, pool,
        new DraftParsing(runtime, options, registry), invokerId, clockMs) : null;
    PendingCancels pending = new PendingCancels();
    this.cancels = new CancelListener(vertx, codeq, runtime, pending, invokerId);
    SandboxExecution execution = new SandboxExecution(runtime, pool, new InvokeCheck(authorizer), secrets, host,
        new OutcomeRecorder(activations, meters), options.getMaxLogLines(), clockMs, tracing, pending,
        new LogTap.Opener(vertx, activations));
    this.tracing = tracing;
    this.runner = new ActivationRunner(vertx, activations, cache, execution,
        new ResultPublisher(vertx.eventBus(), codeq), options, invokerId, clockMs, meters, pending);
    registerGauges(registry);
  }

  /** Read at scrape time from state the pool and the runner keep anyway: nothing is counted per activation. */
  private void registerGauges(MeterRegistry registry) {
    Gauge.builder("cs.sandbox.pool.busy", pool, SandboxPool::busy).strongReference(true)
        .description("Sandbox workers running an activation").register(registry);
    Gauge.builder("cs.sandbox.pool.waiting", pool, SandboxPool::waiting).strongReference(true)
        .description("Activations waiting for a sandbox worker").register(registry);
    Gauge.builder("cs.concurrency.waiters", runner, ActivationRunner::concurrencyWaiters).strongReference(true)
        .description("Activations waiting for a slot of their version's maxConcurrency").register(registry);
    FunctionCounter.builder("cs.cache.requests", runtime, r -> r.sourceCacheStats().hits())
        .tag("cache", "source").tag("result", "hit").register(registry);
    FunctionCounter.builder("cs.cache.requests", runtime, r -> r.sourceCacheStats().misses())
        .tag("cache", "source").tag("result", "miss").register(registry);
  }

  /** Creates the sandbox pool and subscribes; call on the context that should run the consumer. */
  @Override
  public Future<Void> start() {
    pool.open();
    SubscribeOptions sub = new SubscribeOptions()
        .setTopic(Topics.INVOKE)
        .setGroup(GROUP)
        .setMaxInFlight(options.getMaxInFlight());
    // the engine's first execution pays its initialization (~1 s interpreted): pay it before taking work
    return pool.run(this::warmUp)
        .compose(warm -> storedDrafts != null
            ? publishedVersions.start().compose(v -> storedDrafts.start()) : Future.<Void>succeededFuture())
        .compose(v -> cancels.start())
        .compose(v -> codeq.subscribe(sub, this::onMessage))
        .onSuccess(s -> {
          subscription = s;
          // activation records name their attempts' invoker by this id: the log ties it to a process
          LOG.info("invoker {} consuming {} as group {}", invokerId, Topics.INVOKE, GROUP);
        })
        .mapEmpty();
  }

  /**
   * Opens the sandbox pool and warms the engine up, and nothing else: activations then come only through
   * {@link #run}, from a caller in this process with no queue between them ({@code cs run}). Nothing is consumed, no
   * version is prepared ahead, no cancel is listened for.
   */
  public Future<Void> openWithoutQueue() {
    pool.open();
    // as start() does: the engine's first execution (~1 s interpreted) must not count against an activation's timeout
    return pool.run(this::warmUp).mapEmpty();
  }

  /**
   * Runs one request as a delivery of it runs (version load, per-version slot, claim, sandbox, terminal record,
   * result published) and completes once its terminal record is stored. Call on one context, as the consumer does.
   */
  public Future<Void> run(InvocationRequest request) {
    inFlight.started();
    return runner.handle(request).andThen(done -> inFlight.finished());
  }

  private ExecutionResult warmUp() {
    return runtime.initialize();
  }

  /**
   * Drains, then stops: with {@link DrainPolicy#WHOLE_QUEUE} it first keeps consuming until the queue is empty;
   * then it stops taking messages and waits for the activations it took to finish and be recorded. The whole drain
   * is bounded by {@link InvokerOptions#getDrainTimeoutMs()}; what is unfinished then is cut short, and its
   * messages, unacknowledged, return to the queue.
   */
  @Override
  public Future<Void> stop() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.getDrainTimeoutMs());
    if (inFlight.count() > 0) {
      LOG.info("invoker {} draining: {} activations in flight", invokerId, inFlight.count());
    }
    Future<Integer> queueDrained = drainPolicy == DrainPolicy.WHOLE_QUEUE
        // three quiet looks: the in-JVM queue hands the next message over a moment after an acknowledgement
        ? inFlight.quiet(vertx, 3, deadline) : Future.succeededFuture(0);
    Future<Void> closed = queueDrained.compose(left ->
        subscription == null ? Future.<Void>succeededFuture() : subscription.close());
    return closed.transform(ar -> inFlight.quiet(vertx, 1, deadline).compose(unfinished -> {
      if (unfinished > 0) {
        LOG.warn("invoker {} stopped after {} ms of drain with {} activations unfinished; their messages "
            + "return to the queue", invokerId, options.getDrainTimeoutMs(), unfinished);
      }
      return publishedVersions.stop()
          .compose(v -> storedDrafts == null ? Future.<Void>succeededFuture() : storedDrafts.stop())
          .compose(v -> cancels.stop());
    }).transform(v -> ar.succeeded()
            ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(ar.cause())))
        .onComplete(ar -> pool.close());
  }

  private void onMessage(CodeQMessage message) {
    InvocationRequest request;
    try {
      request = MessageCodec.receivedRequest(message.typed(), message::payload);
    } catch (MalformedMessageException bad) {
      deadLetter(message, bad.getMessage());
      return;
    }
    // each activation on a context of its own: its log lines carry its ids, and no other activation's
    InvocationRequest decoded = request;
    LogContext.runIsolated(vertx.getOrCreateContext(), () -> handle(message, decoded));
  }

  private void handle(CodeQMessage message, InvocationRequest request) {
    LogContext.put(LogContext.REQUEST_ID, request.requestId());
    LogContext.put(LogContext.ACTIVATION_ID, request.activationId());
    LogContext.put(LogContext.TENANT, request.tenant());
    LogContext.put(LogContext.FUNCTION, request.function());
    inFlight.started();
    Span span = tracing.startRemote("cs.invoke", SpanKind.CONSUMER, request.traceparent(), request.tracestate());
    if (span != null) {
      span.setAttribute(Tracing.ACTIVATION_ID, request.activationId());
      span.setAttribute("cs.queue_ms", Math.max(0, clockMs.getAsLong() - request.publishedAtMs()));
      span.setAttribute("cs.delivery", message.deliveryAttempt());
    }
    Tracing.setCurrent(span, request.traceparent());
    // after the span, so that this line carries the trace id too
    if (LOG.isDebugEnabled()) {
      LOG.debug("running {}/{}/{} version {}, delivery {}", request.tenant(), request.namespace(), request.function(),
          request.version(), message.deliveryAttempt());
    }
    runner.handle(request).onComplete(ar -> {
      inFlight.finished();
      if (span != null) {
        span.end();
      }
      if (ar.succeeded()) {
        LOG.debug("activation finished");
        message.ack();
      } else {
        LOG.warn("activation {} not finished, message given back: {}", request.activationId(),
            ar.cause().toString());
        vertx.setTimer(options.getRetryDelayMs(), t -> message.release());
      }
    });
  }

  private void deadLetter(CodeQMessage message, String reason) {
    LOG.warn("dead-lettering a {} message: {}", message.topic(), reason);
    codeq.publish(Topics.INVOKE_DEAD_LETTER, message.key(), DeadLetters.of(message, reason, clockMs.getAsLong()))
        .onSuccess(v -> message.ack())
        .onFailure(failure -> vertx.setTimer(options.getRetryDelayMs(), t -> message.release()));
  }
}
