package io.codesous.cadence;

import com.uber.cadence.EntityNotExistsError;
import com.uber.cadence.RecordActivityTaskHeartbeatRequest;
import com.uber.cadence.RespondActivityTaskCanceledRequest;
import com.uber.cadence.RespondActivityTaskCompletedRequest;
import com.uber.cadence.RespondActivityTaskFailedRequest;
import com.uber.cadence.WorkflowExecutionAlreadyCompletedError;
import com.uber.cadence.serviceclient.IWorkflowService;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The answers to Cadence, each a blocking call of the client run on a bounded worker pool, never on an event loop.
 * A task Cadence no longer knows (answered already, timed out, its workflow closed) is not a failure of the
 * answer: the future then carries {@code false}, and the caller forgets the task as if it had been accepted.
 */
final class CadenceCalls {

  static final long HEALTH_TIMEOUT_MS = 2_000;

  private final IWorkflowService service;
  private final WorkerExecutor workers;

  CadenceCalls(IWorkflowService service, WorkerExecutor workers) {
    this.service = Objects.requireNonNull(service, "service");
    this.workers = Objects.requireNonNull(workers, "workers");
  }

  /** {@code true} when Cadence accepted the completion. */
  Future<Boolean> completed(byte[] token, byte[] result, String identity) {
    return call(() -> {
      service.RespondActivityTaskCompleted(new RespondActivityTaskCompletedRequest().setTaskToken(token)
          .setResult(result).setIdentity(identity));
      return true;
    });
  }

  Future<Boolean> failed(byte[] token, FailureReasons.Failure failure, String identity) {
    return call(() -> {
      service.RespondActivityTaskFailed(new RespondActivityTaskFailedRequest().setTaskToken(token)
          .setReason(failure.reason()).setDetails(failure.details()).setIdentity(identity));
      return true;
    });
  }

  Future<Boolean> canceled(byte[] token, byte[] details, String identity) {
    return call(() -> {
      service.RespondActivityTaskCanceled(new RespondActivityTaskCanceledRequest().setTaskToken(token)
          .setDetails(details).setIdentity(identity));
      return true;
    });
  }

  /**
   * Records a heartbeat; the future carries whether the activity should stop: Cadence asked to cancel it, or no
   * longer knows the task.
   */
  Future<Boolean> heartbeat(byte[] token, byte[] details, String identity) {
    return workers.executeBlocking(() -> {
      try {
        return service.RecordActivityTaskHeartbeat(new RecordActivityTaskHeartbeatRequest().setTaskToken(token)
            .setDetails(details).setIdentity(identity)).isCancelRequested();
      } catch (EntityNotExistsError | WorkflowExecutionAlreadyCompletedError gone) {
        return true;
      }
    }, false);
  }

  /** Succeeds when Cadence says it is healthy within {@value #HEALTH_TIMEOUT_MS} ms. */
  Future<Void> healthy() {
    return workers.executeBlocking(() -> {
      if (!Boolean.TRUE.equals(service.isHealthy().get(HEALTH_TIMEOUT_MS, TimeUnit.MILLISECONDS))) {
        throw new IllegalStateException("Cadence reports itself unhealthy");
      }
      return null;
    }, false);
  }

  private Future<Boolean> call(Callable<Boolean> answer) {
    return workers.executeBlocking(() -> {
      try {
        return answer.call();
      } catch (EntityNotExistsError | WorkflowExecutionAlreadyCompletedError gone) {
        return false;
      }
    }, false);
  }
}
