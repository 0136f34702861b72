package io.codesous.cadence;

import io.codesous.codeq.CodeQ;
import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.component.Lifecycle;
import io.codesous.spec.message.CadenceHeartbeat;
import io.codesous.spec.message.CancelRequest;
import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.message.MalformedMessageException;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.codesous.spec.model.ActivationStatus;
import io.codesous.store.BindingSpec;
import io.codesous.store.QueuedCancels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Answers Cadence. Results come from the durable {@code cs.results} topic in the consumer group
 * {@value #GROUP}, so whichever poller reads a result answers it, from the token map, and acknowledges it only
 * once Cadence accepted the answer (or no longer knows the task): a poller that dies in between leaves the result
 * to the next one. Heartbeats come from {@code cs.cadence.heartbeat} in the same group; they are best effort, so
 * they are acknowledged at once.
 */
final class ActivityAnswers implements Lifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(ActivityAnswers.class);
  static final String GROUP = "cs-cadence-poller";
  static final long KEEP_ALIVE_EVERY_MS = 500;
  static final long RETRY_ANSWER_AFTER_MS = 1000;

  private final Vertx vertx;
  private final CodeQ codeq;
  private final TaskTokens tokens;
  private final CadenceCalls calls;
  private final CadenceMetrics metrics;
  private final Heartbeats heartbeats;
  private final QueuedCancels cancels;
  private CodeQSubscription results;
  private CodeQSubscription beats;
  private long keepAliveTimer = -1;
  private final LongSupplier clockMs;
  /** Tenant and namespace of each activation heartbeated here: what a cancel for it must name. */
  private final Map<String, String[]> owners = new ConcurrentHashMap<>();

  ActivityAnswers(Vertx vertx, CodeQ codeq, TaskTokens tokens, QueuedCancels cancels, CadenceCalls calls,
                  LongSupplier clockMs, CadenceMetrics metrics) {
    this.cancels = Objects.requireNonNull(cancels, "cancels");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.codeq = Objects.requireNonNull(codeq, "codeq");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.calls = Objects.requireNonNull(calls, "calls");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    this.heartbeats = new Heartbeats(vertx, calls, clockMs, metrics.heartbeats(), this::cancelRequested);
  }

  @Override
  public Future<Void> start() {
    return codeq.subscribe(new SubscribeOptions().setTopic(Topics.RESULTS).setGroup(GROUP).setMaxInFlight(64),
            this::onResult)
        .compose(sub -> {
          results = sub;
          return codeq.subscribe(new SubscribeOptions().setTopic(Topics.CADENCE_HEARTBEAT).setGroup(GROUP)
              .setMaxInFlight(64), this::onHeartbeat);
        })
        .map(sub -> {
          beats = sub;
          keepAliveTimer = vertx.setPeriodic(KEEP_ALIVE_EVERY_MS, id -> heartbeats.keepAlive());
          return null;
        });
  }

  @Override
  public Future<Void> stop() {
    if (keepAliveTimer >= 0) {
      vertx.cancelTimer(keepAliveTimer);
    }
    return (beats == null ? Future.<Void>succeededFuture() : beats.close())
        .compose(v -> results == null ? Future.succeededFuture() : results.close());
  }

  /** This poller took the task: it heartbeats the activity while it runs. */
  void track(ActivityTask task, BindingSpec spec) {
    owners.put(task.activationId(), new String[] {task.tenant(), task.namespace()});
    heartbeats.track(task.activationId(), task.token(), spec.workerId(), spec.heartbeatsPerSecond(),
        task.heartbeatTimeoutSeconds());
  }

  /** The activation's result arrived (or will not): this poller stops heartbeating it. */
  void ended(String activationId) {
    heartbeats.forget(activationId);
    owners.remove(activationId);
  }

  /** Fails a task that never became an activation (unmapped activity type, missing function). */
  void refuse(ActivityTask task, String identity, FailureReasons.Failure failure) {
    LOG.info("task refused: domain {} workflowId {} runId {} activityId {}: {} {}", task.domain(),
        task.workflowId(), task.runId(), task.activityId(), failure.reason(), failure.message());
    calls.failed(task.token(), failure, identity)
        .onSuccess(accepted -> metrics.completed(failure.reason()))
        .onFailure(failed -> {
          metrics.respondError();
          LOG.warn("refusing task {} failed: {}", task.activityId(), failed.toString());
        });
  }

  private void onResult(CodeQMessage message) {
    InvocationResult result;
    try {
      result = MessageCodec.receivedResult(message.typed(), message::payload);
    } catch (MalformedMessageException malformed) {
      message.ack();
      return;
    }
    if (!result.activationId().startsWith(ActivityTask.ID_PREFIX) || result.tenant() == null) {
      message.ack();
      return;
    }
    tokens.lookup(result.tenant(), result.namespace(), result.activationId())
        .compose(entry -> entry == null ? Future.succeededFuture()
            : answer(result, entry).compose(v -> tokens.forget(result.tenant(), result.namespace(), entry)))
        .onSuccess(v -> message.ack())
        .onFailure(failed -> {
          metrics.respondError();
          LOG.warn("activation {} could not be answered to Cadence yet: {}", result.activationId(),
              failed.toString());
          vertx.setTimer(RETRY_ANSWER_AFTER_MS, t -> message.release());
        });
  }

  private Future<Void> answer(InvocationResult result, TaskTokens.Entry entry) {
    heartbeats.forget(result.activationId());
    owners.remove(result.activationId());
    var task = entry.identifiers();
    Future<Boolean> answered;
    String outcome;
    if (result.status() == ActivationStatus.CANCELLED) {
      // cancelled through the API, which Cadence did not ask for: it takes no canceled answer then (FailureReasons);
      // a cancel Cadence asked for was answered already, and this finds the task gone
      outcome = FailureReasons.CANCELLED;
      answered = calls.failed(entry.token(), FailureReasons.failure(result), entry.workerId());
    } else if (result.status() == ActivationStatus.SUCCESS) {
      outcome = "completed";
      answered = calls.completed(entry.token(), FailureReasons.completion(result), entry.workerId());
    } else {
      FailureReasons.Failure failure = FailureReasons.failure(result);
      outcome = failure.reason();
      answered = calls.failed(entry.token(), failure, entry.workerId());
    }
    return answered.map(accepted -> {
      metrics.completed(accepted ? outcome : "gone");
      LOG.info("activation {} answered {}{}: domain {} tasklist {} workflowId {} runId {} activityId {}",
          result.activationId(), outcome, accepted ? "" : " (Cadence no longer knew the task)",
          task.getString("domain"), task.getString("tasklist"), task.getString("workflowId"),
          task.getString("runId"), task.getString("activityId"));
      return null;
    });
  }

  private void onHeartbeat(CodeQMessage message) {
    message.ack();
    CadenceHeartbeat beat;
    try {
      beat = CadenceHeartbeat.decode(message.payload());
    } catch (MalformedMessageException malformed) {
      return;
    }
    if (heartbeats.tracks(beat.activationId())) {
      heartbeats.offer(beat.activationId(), beat.details());
      return;
    }
    // another poller took the task (or this one restarted): the token map has what the heartbeat needs
    tokens.lookup(beat.tenant(), beat.namespace(), beat.activationId()).onSuccess(entry -> {
      if (entry != null) {
        owners.put(beat.activationId(), new String[] {beat.tenant(), beat.namespace()});
        heartbeats.track(beat.activationId(), entry.token(), entry.workerId(), entry.heartbeatsPerSecond(), 0);
        heartbeats.offer(beat.activationId(), beat.details());
      }
    });
  }

  /**
   * Cadence asked to cancel the activity (or forgot it): it is answered cancelled now, and the activation is stopped.
   * One no invoker has claimed yet ends {@code cancelled} at once ({@link QueuedCancels}, create-only when it has no
   * record yet), so it never runs; a running one's invoker is asked to stop it ({@code cs.cancel}). Either way its
   * result later finds Cadence no longer knowing the task and is dropped.
   */
  private void cancelRequested(String activationId, byte[] token) {
    LOG.info("Cadence asked to cancel activation {}", activationId);
    calls.canceled(token, null, GROUP).onSuccess(accepted -> metrics.completed("cancelled"))
        .onFailure(failed -> metrics.respondError());
    String[] owner = owners.remove(activationId);
    if (owner == null) {
      return;
    }
    cancels.cancel(owner[0], owner[1], activationId, tokens::queued).compose(found -> {
      if (!(found instanceof QueuedCancels.Found.Running running)) {
        return Future.<Void>succeededFuture();
      }
      CancelRequest cancel = new CancelRequest(owner[0], owner[1], activationId, running.record().attemptInvoker(),
          CancelRequest.SOURCE_CADENCE, clockMs.getAsLong());
      return codeq.publish(Topics.CANCEL, activationId, cancel.encode());
    }).onFailure(failed -> LOG.warn("activation {} could not be cancelled: {}", activationId, failed.toString()));
  }
}
