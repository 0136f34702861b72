package io.codesous.invoker;

import io.codesous.auth.secret.SecretRedactor;
import io.codesous.invoker.host.ActivationBindings;
import io.codesous.invoker.host.Capabilities;
import io.codesous.invoker.host.HostCallSpans;
import io.codesous.invoker.host.HostServices;
import io.codesous.observe.Tracing;
import io.codesous.runtime.ExecutionRequest;
import io.codesous.runtime.ExecutionResult;
import io.codesous.runtime.ExecutionStatus;
import io.codesous.runtime.InvocationInfo;
import io.codesous.runtime.JsRuntime;
import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.Trigger;
import io.codesous.spec.model.ActivationOutcome;
import io.codesous.spec.model.ActivationRecord;
import io.codesous.spec.model.ActivationStatus;
import io.codesous.store.SecretStore;
import io.codesous.store.VersionMeta;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Executes one activation this invoker owns and says how it ended: checks that its principal may run the
 * version, provides the version's secrets, runs the sandbox on the pool and records the outcome. A backend
 * outage fails the future (the request is delivered again); every other failure is an outcome, so no request
 * is retried forever.
 */
final class SandboxExecution {

  private static final Logger LOG = LoggerFactory.getLogger(SandboxExecution.class);

  private final JsRuntime runtime;
  private final SandboxPool pool;
  private final InvokeCheck check;
  private final SecretStore secrets;
  private final HostServices host;
  private final OutcomeRecorder recorder;
  private final int maxLogLines;
  private final LongSupplier clockMs;
  private final Tracing tracing;
  private final PendingCancels pending;
  private final LogTap.Opener taps;

  SandboxExecution(JsRuntime runtime, SandboxPool pool, InvokeCheck check, SecretStore secrets, HostServices host,
                   OutcomeRecorder recorder, int maxLogLines, LongSupplier clockMs, Tracing tracing,
                   PendingCancels pending, LogTap.Opener taps) {
    this.pending = Objects.requireNonNull(pending, "pending");
    this.taps = Objects.requireNonNull(taps, "taps");
    this.tracing = Objects.requireNonNull(tracing, "tracing");
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.check = Objects.requireNonNull(check, "check");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.host = Objects.requireNonNull(host, "host");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.maxLogLines = maxLogLines;
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
  }

  /** @param done called once the sandbox is done with the activation (or it ends before reaching it) */
  Future<ActivationOutcome> execute(InvocationRequest request, ActivationRecord running, VersionMeta meta,
                                    BundleFiles bundle, Runnable done) {
    String refusal = check.refusal(request, meta).orElse(null);
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
      return run(request, running.attempt(), meta, bundle, values.result(), done)
          .recover(failure -> platformFailure(request, running, failure, "the sandbox failed to run the activation"));
    });
  }

  /** The version could not be loaded: an outage is retried, anything else ends the activation unrun. */
  Future<ActivationOutcome> unloadable(InvocationRequest request, ActivationRecord running, Throwable failure) {
    return platformFailure(request, running, failure, "version " + request.version() + " could not be loaded");
  }

  /**
   * The version names a secret that cannot be had: a store outage is retried like any other; a missing or
   * undecryptable secret ends the activation before any function code runs. The message names the secret only.
   */
  private Future<ActivationOutcome> secretsFailure(InvocationRequest request, ActivationRecord running,
                                                   Throwable failure) {
    if (failure instanceof CsException cs && cs.code() != ErrorCode.CS_UNAVAILABLE) {
      LOG.warn("activation {}: {}", request.activationId(), cs.getMessage());
      return Future.succeededFuture(ended(running, ActivationStatus.ERROR, ErrorCode.CS_RUNTIME_EXCEPTION,
          "the version's secrets could not be provided: " + cs.getMessage()));
    }
    return platformFailure(request, running, failure, "the version's secrets could not be read");
  }

  /**
   * A failure of the platform rather than of the function: a backend outage is retried (the
   * message goes back); anything else is recorded as an error activation, not retried forever.
   */
  private Future<ActivationOutcome> platformFailure(InvocationRequest request, ActivationRecord running,
                                                    Throwable failure, String message) {
    if (failure instanceof CsException cs && cs.code() == ErrorCode.CS_UNAVAILABLE) {
      return Future.failedFuture(failure);
    }
    LOG.error("activation {}: {}", request.activationId(), message, failure);
    return Future.succeededFuture(ended(running, ActivationStatus.ERROR, ErrorCode.CS_INTERNAL, message));
  }

  /** How an activation ended that did not run the function. */
  private ActivationOutcome ended(ActivationRecord running, ActivationStatus status, ErrorCode code, String message) {
    return ActivationOutcome.failed(status, running.startMs(), clockMs.getAsLong(), code.name(), message);
  }

  private Future<ActivationOutcome> run(InvocationRequest request, int attempt, VersionMeta meta, BundleFiles bundle,
                                        Map<String, String> secretValues, Runnable done) {
    SecretRedactor redactor = secretValues.isEmpty() ? SecretRedactor.NONE
        : SecretRedactor.withJsonForms(secretValues.values());
    Span span = tracing.startChild("cs.sandbox", SpanKind.INTERNAL, Tracing.current());
    var limits = meta.manifest().limits();
    LogTap tap = taps.open(request.tenant(), request.namespace(), request.activationId(), attempt, redactor,
        (long) limits.initTimeoutMs() + limits.timeoutMs());
    ExecutionRequest exec = executionRequest(request, meta, bundle, span).withLogListener(tap);
    ExecutionRequest withSecrets = secretValues.isEmpty() ? exec : exec.withSecrets(secretValues);
    String version = request.namespace() + '/' + request.function() + '/' + meta.version();
    return pool.runFairly(request.tenant(), version,
            () -> pending.enter(request) ? runtime.execute(withSecrets) : cancelledBeforeStart())
        .andThen(ran -> {
          tap.close();
          done.run();
          if (span != null) {
            span.setAttribute(Tracing.ACTIVATION_ID, request.activationId());
            if (ran.succeeded()) {
              span.setAttribute("cs.status", ran.result().status().name().toLowerCase(java.util.Locale.ROOT));
              if (ran.result().start() != null) {
                span.setAttribute("cs.start", ran.result().start().wire());
              }
            }
            span.end();
          }
        })
        .compose(result -> recorder.record(request, result, redactor));
  }

  /** Cancelled while it waited for a worker: it ends as a cancel in the sandbox would end it, without running. */
  private ExecutionResult cancelledBeforeStart() {
    return new ExecutionResult(ExecutionStatus.CANCELLED, null, ErrorCode.CS_CANCELLED.name(),
        "cancelled before it started", null, List.of(), false, clockMs.getAsLong(), 0, 0, null);
  }

  private ActivationBindings bindings(InvocationRequest request, JsonObject manifest, Span span) {
    ActivationBindings bindings = new ActivationBindings(host, request.tenant(), Capabilities.of(manifest),
        HostCallSpans.under(tracing, span, request.activationId()));
    return Trigger.CADENCE.equals(request.trigger().type())
        ? bindings.forCadence(request.namespace(), request.activationId()) : bindings;
  }

  private ExecutionRequest executionRequest(InvocationRequest request, VersionMeta meta, BundleFiles bundle,
                                            Span span) {
    var limits = meta.manifest().limits();
    // one copy of the stored manifest per activation: document() copies to keep the record immutable
    JsonObject manifest = meta.manifest().document();
    InvocationInfo info = new InvocationInfo(request.activationId(), request.requestId(), request.tenant(),
        request.namespace(), request.function(), meta.version(), request.trigger().type(), request.traceparent(),
        request.tracestate());
    return new ExecutionRequest(meta.sha256(), bundle.files(), meta.manifest().entry(), request.event().encode(),
        info, limits.timeoutMs(),
        ActivationLimits.of(limits, maxLogLines),
        manifest.getString("isolation", ExecutionRequest.ISOLATION_STRICT),
        bindings(request, manifest, span)).withEnv(meta.manifest().env())
        .withInitTimeoutMs(limits.initTimeoutMs());
  }
}
