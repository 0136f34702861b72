package io.codesous.invoker;

import io.codesous.auth.secret.SecretRedactor;
import io.codesous.runtime.ExecutionResult;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.model.ActivationOutcome;
import io.codesous.spec.model.ActivationStatus;
import io.codesous.store.ActivationStore;
import io.codesous.observe.ActivationMeters;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Objects;

/**
 * Turns what the sandbox returned into an activation's outcome: stores its logs (before the terminal record
 * points at them) and counts it. Every text the function produced passes the activation's redactor first, so a
 * secret value it logged, threw or returned is stored (and answered) as {@code [redacted]}.
 */
final class OutcomeRecorder {

  private final ActivationStore activations;
  private final ActivationMeters meters;

  OutcomeRecorder(ActivationStore activations, ActivationMeters meters) {
    this.activations = Objects.requireNonNull(activations, "activations");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  Future<ActivationOutcome> record(InvocationRequest request, ExecutionResult result, SecretRedactor redactor) {
    ActivationStatus status = switch (result.status()) {
      case SUCCESS -> ActivationStatus.SUCCESS;
      case ERROR -> ActivationStatus.ERROR;
      case TIMEOUT -> ActivationStatus.TIMEOUT;
      case MEMORY_LIMIT -> ActivationStatus.MEMORY_LIMIT;
      case CANCELLED -> ActivationStatus.CANCELLED;
    };
    String start = result.start() == null ? null : result.start().wire();
    meters.ran(request.trigger().type(), status.wire(), result.startMs() - request.publishedAtMs(),
        result.durationMs(), start);
    List<JsonObject> logs = result.logs().stream().map(l -> new JsonObject()
        .put("seq", l.seq()).put("ts_ms", l.tsMs()).put("level", l.level()).put("message", redactor.redact(l.message())))
        .toList();
    return activations.writeLogs(request.tenant(), request.namespace(), request.activationId(), logs)
        .map(chunks -> {
          long end = result.startMs() + result.durationMs();
          ActivationOutcome.Logs stored = new ActivationOutcome.Logs(logs.size(), chunks, result.logsTruncated());
          if (status == ActivationStatus.SUCCESS) {
            return new ActivationOutcome(status, result.startMs(), end,
                redactor.redactStrings(new JsonObject(result.responseJson())), null, stored, result.initMs(), start);
          }
          JsonObject error = ErrorRecord.of(
              result.errorCode() != null ? result.errorCode() : status.defaultError().name(),
              result.errorMessage() != null ? result.errorMessage() : status.defaultError().summary(),
              result.errorStack(), redactor);
          return new ActivationOutcome(status, result.startMs(), end, null, error, stored, result.initMs(), start);
        });
  }
}
