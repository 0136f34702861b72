package io.codesous.invoker;

import io.codesous.auth.Principal;
import io.codesous.auth.authz.Authorizer;
import io.codesous.auth.authz.Decision;
import io.codesous.auth.authz.Resource;
import io.codesous.auth.secret.SecretRedactor;
import io.codesous.codeq.CodeQ;
import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.gateway.ReplyRoutes;
import io.codesous.invoker.host.ActivationBindings;
import io.codesous.invoker.host.Capabilities;
import io.codesous.invoker.host.HostServices;
import io.codesous.platform.Lifecycle;
import io.codesous.runtime.ExecutionLimits;
import io.codesous.runtime.ExecutionRequest;
import io.codesous.runtime.ExecutionResult;
import io.codesous.runtime.HostBindings;
import io.codesous.runtime.InvocationInfo;
import io.codesous.runtime.JsRuntime;
import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.message.MalformedMessageException;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.codesous.spec.model.ActivationStatus;
import io.codesous.store.ActivationStore;
import io.codesous.codeq.DeadLetters;
import io.codesous.store.FunctionStore;
import io.codesous.store.SecretStore;
import io.codesous.store.VersionMeta;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Consumes {@code cs.invoke} and runs each activation once: claim the activation record, fetch
 * the version (cached), wait for a per-version slot, run the sandbox on the bounded
 * {@code cs-sandbox} worker pool, write logs and the terminal record, publish the result — and only
 * then acknowledge the message. A redelivered request whose activation already ended is answered
 * from its record without running the code again.
 */
public class Invoker implements Lifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(Invoker.class);
  public static final String GROUP = "invokers";
  public static final String POOL_NAME = "cs-sandbox";
  /** How often, at most, a copy of a message whose activation another invoker runs checks its record. */
  private static final long MIN_OWNER_POLL_MS = 20;

  private final Vertx vertx;
  private final FunctionStore functions;
  private final ActivationStore activations;
  private final CodeQ codeq;
  private final JsRuntime runtime;
  private final InvokerOptions options;
  private final String invokerId;
  private final LongSupplier clockMs;
  private final MeterRegistry registry;
  private final HostServices host;
  private final Authorizer authorizer;
  private final SecretStore secrets;
  private final BundleCache cache;
  private final ConcurrencyLimiter limiter = new ConcurrencyLimiter();
  /** Activations this invoker runs right now (claimed, not yet recorded); touched on its context only. */
  private final Set<String> runningHere = new HashSet<>();
  private final Timer executionTimer;
  private WorkerExecutor pool;
  private CodeQSubscription subscription;

  public Invoker(Vertx vertx, FunctionStore functions, ActivationStore activations, CodeQ codeq, JsRuntime runtime,
                 InvokerOptions options, String invokerId, LongSupplier clockMs, MeterRegistry registry,
                 HostServices host, Authorizer authorizer, SecretStore secrets) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.functions = Objects.requireNonNull(functions, "functions");
    this.activations = Objects.requireNonNull(activations, "activations");
    this.codeq = Objects.requireNonNull(codeq, "codeq");
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.options = Objects.requireNonNull(options, "options");
    this.invokerId = Objects.requireNonNull(invokerId, "invokerId");
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.host = Objects.requireNonNull(host, "host");
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.cache = new BundleCache(functions, options.getBundleCacheSize(), registry);
    this.executionTimer = Timer.builder("cs.invoker.execution").register(registry);
  }

  /** Creates the sandbox pool and subscribes; call on the context that should run the consumer. */
  @Override
  public Future<Void> start() {
    // executions end at their deadline; the pool's blocked-thread warning must not fire before that
    pool = vertx.createSharedWorkerExecutor(POOL_NAME, options.getWorkerPoolSize(), 10, TimeUnit.MINUTES);
    SubscribeOptions sub = new SubscribeOptions()
        .setTopic(Topics.INVOKE)
        .setGroup(GROUP)
        .setMaxInFlight(options.getMaxInFlight());
    // the engine's first execution pays its initialization (~1 s interpreted): pay it before taking work
    return pool.executeBlocking(this::warmUp, false)
        .compose(warm -> codeq.subscribe(sub, this::onMessage))
        .onSuccess(s -> {
          subscription = s;
          // activation records name their attempts' invoker by this id: the log ties it to a process
          LOG.info("invoker {} consuming {} as group {}", invokerId, Topics.INVOKE, GROUP);
        })
        .mapEmpty();
  }

  private ExecutionResult warmUp() {
    InvocationInfo info = new InvocationInfo("warm-up", "warm-up", "cs", "cs", "warm-up", 1, "warm-up", null);
    Map<String, byte[]> files = Map.of("index.mjs",
        "export const handler = (e) => ({ statusCode: 200, body: JSON.stringify(e) });".getBytes(StandardCharsets.UTF_8));
    return runtime.execute(new ExecutionRequest("warm-up", files, "index.mjs", "{}", info, 30_000,
        ExecutionLimits.DEFAULTS, ExecutionRequest.ISOLATION_STRICT, HostBindings.NONE));
  }

  /** Stops taking messages; those not yet acknowledged return to the queue for another invoker. */
  @Override
  public Future<Void> stop() {
    Future<Void> closed = subscription == null ? Future.succeededFuture() : subscription.close();
    return closed.onComplete(ar -> {
      if (pool != null) {
        pool.close();
      }
    });
  }

  private void onMessage(CodeQMessage message) {
    InvocationRequest request;
    try {
      request = MessageCodec.decodeRequest(message.payload());
    } catch (MalformedMessageException bad) {
      deadLetter(message, bad.getMessage());
      return;
    }
    handle(request).onComplete(ar -> {
      if (ar.succeeded()) {
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

  /**
   * Completes once the result is recorded and published; fails when it must be retried. The
   * version is loaded and a per-version slot held before the activation is claimed, so a claim's
   * lease starts when the run can start, and a copy that waits for a slot claims nothing.
   */
  Future<Void> handle(InvocationRequest request) {
    String t = request.tenant();
    String ns = request.namespace();
    String fn = request.function();
    Future<Loaded> load = cache.meta(t, ns, fn, request.version())
        .compose(meta -> cache.bundle(t, ns, fn, meta).map(bundle -> new Loaded(meta, bundle)));
    Future<Void> handled = load.transform(loaded -> {
      if (loaded.failed()) {
        Throwable cause = loaded.cause();
        if (cause instanceof CsException cs && cs.code() == ErrorCode.CS_UNAVAILABLE) {
          return Future.failedFuture(cause);
        }
        return claimAndRun(request, request.timeoutMs(), running -> platformFailure(request, running, cause,
            "version " + request.version() + " could not be loaded"));
      }
      VersionMeta meta = loaded.result().meta;
      String slot = t + '/' + ns + '/' + fn + '/' + meta.version();
      return limiter.acquire(slot, meta.manifest().limits().maxConcurrency()).compose(held -> {
        SlotHold hold = new SlotHold(slot);
        // module evaluation has its own budget before the handler's: the lease covers both
        return claimAndRun(request,
                (long) meta.manifest().limits().initTimeoutMs() + meta.manifest().limits().timeoutMs(),
                running -> execute(request, running, loaded.result(), hold))
            .andThen(done -> hold.release());
      });
    });
    return handled.recover(failure -> failure instanceof OwnerAlive alive
        ? vertx.timer(alive.waitMs).compose(v -> handle(request))
        : Future.failedFuture(failure));
  }

  /**
   * Claims the activation and, when this delivery owns it, runs {@code work} and records its
   * outcome. A finished activation is answered from its record; one whose owner's lease still holds
   * fails with {@link OwnerAlive}; one taken over by a newer attempt meanwhile is answered by that
   * attempt's invoker, so this one publishes nothing.
   */
  private Future<Void> claimAndRun(InvocationRequest request, long timeoutMs,
                                   Function<JsonObject, Future<JsonObject>> work) {
    String id = request.activationId();
    long leaseMs = timeoutMs + options.getLeaseMarginMs();
    return activations.claim(request, invokerId, leaseMs, !runningHere.contains(id)).compose(claim -> {
      if (claim instanceof ActivationStore.Claim.Done done) {
        // already ran: answer from the record, never run the code twice
        return publish(resultOf(request, done.record()));
      }
      if (claim instanceof ActivationStore.Claim.Busy busy) {
        long untilLease = busy.leaseUntilMs() - clockMs.getAsLong();
        return Future.failedFuture(new OwnerAlive(
            Math.max(MIN_OWNER_POLL_MS, Math.min(untilLease, options.getRetryDelayMs()))));
      }
      JsonObject running = ((ActivationStore.Claim.Owned) claim).record();
      runningHere.add(id);
      return work.apply(running)
          .andThen(ran -> runningHere.remove(id))
          .compose(outcome -> activations.complete(running, outcome))
          .compose(record -> ActivationStatus.fromWire(record.getString("status")).terminal()
              ? publish(resultOf(request, record)) : Future.<Void>succeededFuture());
    });
  }

  /** Another invoker's attempt holds the activation; look again after {@code waitMs}. */
  private static final class OwnerAlive extends RuntimeException {
    final long waitMs;

    OwnerAlive(long waitMs) {
      super("another attempt holds the activation", null, false, false);
      this.waitMs = waitMs;
    }
  }

  /** A held per-version slot, given back exactly once: when the sandbox is done, or when the activation ends early. */
  private final class SlotHold {
    private final String slot;
    private boolean released;

    SlotHold(String slot) {
      this.slot = slot;
    }

    void release() {
      if (!released) {
        released = true;
        limiter.release(slot);
      }
    }
  }

  /** Runs the owned activation and returns the members of its terminal record (logs already stored). */
  private Future<JsonObject> execute(InvocationRequest request, JsonObject running, Loaded loaded, SlotHold hold) {
    VersionMeta meta = loaded.meta;
    String refusal = refusal(request, meta);
    if (refusal != null) {
      return Future.succeededFuture(ended(running, ActivationStatus.ERROR, ErrorCode.CS_FORBIDDEN, refusal));
    }
    List<String> secretNames = meta.manifest().secretNames();
    Future<Map<String, String>> resolved = secretNames.isEmpty() ? Future.succeededFuture(Map.of())
        : secrets.resolve(request.tenant(), request.namespace(), secretNames);
    return resolved.transform(values -> {
      if (values.failed()) {
        return secretsFailure(request, running, values.cause());
      }
      return runInSlot(request, meta, loaded.bundle, values.result(), hold)
          .recover(failure -> platformFailure(request, running, failure, "the sandbox failed to run the activation"));
    });
  }

  /**
   * The version names a secret that cannot be had: a store outage is retried like any other; a missing or
   * undecryptable secret ends the activation before any function code runs. The message names the secret only.
   */
  private Future<JsonObject> secretsFailure(InvocationRequest request, JsonObject running, Throwable failure) {
    if (failure instanceof CsException cs && cs.code() != ErrorCode.CS_UNAVAILABLE) {
      LOG.warn("activation {}: {}", request.activationId(), cs.getMessage());
      return Future.succeededFuture(ended(running, ActivationStatus.ERROR, ErrorCode.CS_RUNTIME_EXCEPTION,
          "the version's secrets could not be provided: " + cs.getMessage()));
    }
    return platformFailure(request, running, failure, "the version's secrets could not be read");
  }

  /**
   * Why the request's principal may not run this version, or {@code null} when it may. The gateway checked HTTP
   * callers before publishing; requests of other triggers come from platform services (scheduler, Cadence poller)
   * and are checked here, where the version's role lists are known. HTTP requests are checked again: a request on
   * the queue is only as trustworthy as whoever could publish it.
   */
  private String refusal(InvocationRequest request, VersionMeta meta) {
    String trigger = request.trigger().type();
    Principal principal;
    try {
      principal = request.principal() == null ? null : Principal.fromJson(request.principal());
    } catch (RuntimeException malformed) {
      principal = null;
    }
    if (principal == null) {
      return "the " + trigger + " invocation carries no principal";
    }
    Decision decision = authorizer.checkInvoke(principal, request.tenant(),
        Resource.function(request.namespace(), request.function()), meta.manifest().invokeRoles(trigger));
    return decision.allowed() ? null : "principal " + principal.subject() + " may not invoke this version through "
        + trigger;
  }

  private record Loaded(VersionMeta meta, BundleFiles bundle) {
  }

  /**
   * A failure of the platform rather than of the function: a backend outage is retried (the
   * message goes back); anything else is recorded as an error activation, not retried forever.
   */
  private Future<JsonObject> platformFailure(InvocationRequest request, JsonObject running, Throwable failure,
                                         String message) {
    if (failure instanceof CsException cs && cs.code() == ErrorCode.CS_UNAVAILABLE) {
      return Future.failedFuture(failure);
    }
    LOG.error("activation {}: {}", request.activationId(), message, failure);
    return Future.succeededFuture(ended(running, ActivationStatus.ERROR, ErrorCode.CS_INTERNAL, message));
  }

  /** The terminal members of an activation that ended without running the function. */
  private JsonObject ended(JsonObject running, ActivationStatus status, ErrorCode code, String message) {
    long now = clockMs.getAsLong();
    return new JsonObject()
        .put("status", status.wire())
        .put("start_ms", running.getLong("start_ms"))
        .put("end_ms", now)
        .put("duration_ms", Math.max(0, now - running.getLong("start_ms")))
        .put("error", new JsonObject().put("code", code.name()).put("message", message))
        .put("logs", new JsonObject().put("count", 0).put("chunks", 0).put("truncated", false));
  }

  private Future<JsonObject> runInSlot(InvocationRequest request, VersionMeta meta, BundleFiles bundle,
                                       Map<String, String> secretValues, SlotHold hold) {
    SecretRedactor redactor = secretValues.isEmpty() ? SecretRedactor.NONE
        : SecretRedactor.withJsonForms(secretValues.values());
    ExecutionRequest exec = executionRequest(request, meta, bundle);
    ExecutionRequest withSecrets = secretValues.isEmpty() ? exec : exec.withSecrets(secretValues);
    return pool.executeBlocking(() -> runtime.execute(withSecrets), false)
        .andThen(done -> hold.release())
        .compose(result -> record(request, result, redactor));
  }

  private ExecutionRequest executionRequest(InvocationRequest request, VersionMeta meta, BundleFiles bundle) {
    var limits = meta.manifest().limits();
    // one copy of the stored manifest per activation: document() copies to keep the record immutable
    JsonObject manifest = meta.manifest().document();
    InvocationInfo info = new InvocationInfo(request.activationId(), request.requestId(), request.tenant(),
        request.namespace(), request.function(), meta.version(), request.trigger().type(), request.traceparent(),
        request.tracestate());
    return new ExecutionRequest(meta.sha256(), bundle.files(), meta.manifest().entry(), request.event().encode(),
        info, limits.timeoutMs(),
        new ExecutionLimits(limits.maxLogBytes(), options.getMaxLogLines(), limits.maxResponseBytes(),
            limits.memoryMb() * 1024L * 1024L),
        manifest.getString("isolation", ExecutionRequest.ISOLATION_STRICT),
        new ActivationBindings(host, request.tenant(), Capabilities.of(manifest)))
        .withInitTimeoutMs(limits.initTimeoutMs());
  }

  /**
   * Stores the logs and returns the terminal members. Every text the function produced passes {@code redactor}
   * first, so a secret value it logged, threw or returned is stored (and answered) as {@code [redacted]}.
   */
  private Future<JsonObject> record(InvocationRequest request, ExecutionResult result, SecretRedactor redactor) {
    executionTimer.record(result.durationMs(), TimeUnit.MILLISECONDS);
    ActivationStatus status = switch (result.status()) {
      case SUCCESS -> ActivationStatus.SUCCESS;
      case ERROR -> ActivationStatus.ERROR;
      case TIMEOUT -> ActivationStatus.TIMEOUT;
      case MEMORY_LIMIT -> ActivationStatus.MEMORY_LIMIT;
    };
    registry.counter("cs.invoker.activations", "status", status.wire()).increment();
    List<JsonObject> logs = result.logs().stream().map(l -> new JsonObject()
        .put("seq", l.seq()).put("ts_ms", l.tsMs()).put("level", l.level()).put("message", redactor.redact(l.message())))
        .toList();
    return activations.writeLogs(request.tenant(), request.namespace(), request.activationId(), logs)
        .map(chunks -> {
          long end = result.startMs() + result.durationMs();
          JsonObject outcome = new JsonObject()
              .put("status", status.wire())
              .put("start_ms", result.startMs())
              .put("end_ms", end)
              .put("duration_ms", result.durationMs())
              .put("init_ms", result.initMs())
              .put("logs", new JsonObject().put("count", logs.size()).put("chunks", chunks)
                  .put("truncated", result.logsTruncated()));
          if (status == ActivationStatus.SUCCESS) {
            outcome.put("response", redactStrings(new JsonObject(result.responseJson()), redactor));
          } else {
            JsonObject error = new JsonObject()
                .put("code", result.errorCode() != null ? result.errorCode() : status.defaultError().name())
                .put("message", result.errorMessage() != null ? redactor.redact(result.errorMessage())
                    : status.defaultError().summary());
            if (result.errorStack() != null) {
              error.put("stack", redactor.redact(result.errorStack()));
            }
            outcome.put("error", error);
          }
          return outcome;
        });
  }

  /** Redacts every string member, at any depth; structure and other values stay as they are. */
  static JsonObject redactStrings(JsonObject json, SecretRedactor redactor) {
    if (redactor.isEmpty()) {
      return json;
    }
    JsonObject out = new JsonObject();
    json.forEach(member -> out.put(member.getKey(), redactValue(member.getValue(), redactor)));
    return out;
  }

  private static Object redactValue(Object value, SecretRedactor redactor) {
    if (value instanceof String text) {
      return redactor.redact(text);
    }
    if (value instanceof JsonObject object) {
      return redactStrings(object, redactor);
    }
    if (value instanceof io.vertx.core.json.JsonArray array) {
      io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
      array.forEach(item -> out.add(redactValue(item, redactor)));
      return out;
    }
    return value;
  }

  private InvocationResult resultOf(InvocationRequest request, JsonObject record) {
    JsonObject error = record.getJsonObject("error");
    JsonObject publicError = error == null ? null
        : new JsonObject().put("code", error.getString("code")).put("message", error.getString("message"));
    long start = record.getLong("start_ms", request.publishedAtMs());
    return new InvocationResult(request.activationId(), request.requestId(), request.replyTo(), request.tenant(),
        request.namespace(), request.function(), record.getLong("version", request.version()),
        ActivationStatus.fromWire(record.getString("status")), record.getJsonObject("response"), publicError,
        start, record.getLong("end_ms", start));
  }

  /**
   * The waiting gateway, if any, gets its copy point to point on its reply route at once (the
   * terminal record is already stored, so it may answer); the durable copy goes to
   * {@code cs.results} for every other consumer of results, and the request is acknowledged only
   * after that.
   */
  private Future<Void> publish(InvocationResult result) {
    var encoded = MessageCodec.encode(result);
    if (result.replyTo() != null) {
      vertx.eventBus().send(ReplyRoutes.address(result.replyTo()), encoded);
    }
    return codeq.publish(Topics.RESULTS, result.activationId(), encoded)
        .recover(failure -> Future.failedFuture(
            new CsException(ErrorCode.CS_UNAVAILABLE, "results queue unavailable", null, failure)));
  }
}
