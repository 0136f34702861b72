package io.codesous.cadence;

import com.uber.cadence.PollForActivityTaskResponse;
import com.uber.cadence.serviceclient.IWorkflowService;
import io.codesous.codeq.CodeQ;
import io.codesous.codeq.TypedMessage;
import io.codesous.component.Lifecycle;
import io.codesous.kv.KvStore;
import io.codesous.results.ReplyRoute;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.codesous.spec.model.FunctionRef;
import io.codesous.store.BindingSpec;
import io.codesous.store.BindingStore;
import io.codesous.store.FunctionStore;
import io.codesous.store.QueuedCancels;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The Cadence poller ({@code cs-cadence-poller}): an activity worker for every enabled binding. It walks the
 * bindings every {@code refreshSeconds} and at once when the control plane announces a change: a new binding gets
 * its {@link PollLoops}, a disabled or deleted one loses them, a changed one gets new ones. A task becomes an
 * invocation ({@link ActivityTask}) published to {@code cs.invoke} with this poller's reply route, after its
 * token is recorded ({@link TaskTokens}); the result's copy on the reply route frees the binding's slot, and the
 * durable copy on {@code cs.results} is answered to Cadence by {@link ActivityAnswers}. Everything but the polls
 * and the calls to Cadence runs on this component's event loop.
 */
public final class CadencePoller implements Lifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(CadencePoller.class);
  static final int MAX_BINDINGS = 10_000;
  /** How long past the version's timeout a slot waits for a result before it is taken back. */
  static final long RESULT_MARGIN_MS = 30_000;

  private final Vertx vertx;
  private final BindingStore bindings;
  private final FunctionStore functions;
  private final CodeQ codeq;
  private final CadenceOptions options;
  private final IWorkflowService service;
  private final TaskTokens tokens;
  private final QueuedCancels cancels;
  private final String route;
  private final LongSupplier clockMs;
  private final CadenceMetrics metrics;
  private final Map<String, PollLoops> loops = new HashMap<>();
  private Context context;
  private WorkerExecutor workers;
  private CadenceCalls calls;
  private ReplyRoute replies;
  private ActivityAnswers answers;
  private MessageConsumer<String> changes;
  private long refreshTimer = -1;
  private boolean refreshing;
  private boolean refreshAgain;
  private boolean stopping;

  public CadencePoller(Vertx vertx, BindingStore bindings, FunctionStore functions, CodeQ codeq,
                       KvStore kv, QueuedCancels cancels, CadenceOptions options, IWorkflowService service,
                       String route, LongSupplier clockMs, MeterRegistry registry) {
    this.cancels = Objects.requireNonNull(cancels, "cancels");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.bindings = Objects.requireNonNull(bindings, "bindings");
    this.functions = Objects.requireNonNull(functions, "functions");
    this.codeq = Objects.requireNonNull(codeq, "codeq");
    this.options = Objects.requireNonNull(options, "options");
    this.service = Objects.requireNonNull(service, "service");
    this.tokens = new TaskTokens(kv);
    this.route = Objects.requireNonNull(route, "route");
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    this.metrics = new CadenceMetrics(registry, loops);
  }

  @Override
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    workers = vertx.createSharedWorkerExecutor("cs-cadence-" + route, options.getRespondThreads());
    calls = new CadenceCalls(service, workers);
    return ReplyRoute.open(vertx, route).compose(opened -> {
      replies = opened;
      answers = new ActivityAnswers(vertx, codeq, tokens, cancels, calls, clockMs, metrics);
      return answers.start();
    }).map(v -> {
      changes = vertx.eventBus().consumer(Topics.BINDINGS_CHANGED, m -> refresh());
      refreshTimer = vertx.setPeriodic(options.getRefreshSeconds() * 1000L, id -> refresh());
      refresh();
      return null;
    });
  }

  /**
   * Stops polling at once, then drains: results keep being answered and activities heartbeated until nothing of
   * this poller is inflight or the drain timeout passes. What is left is answered by the next poller from the
   * token map and the uncommitted results.
   */
  @Override
  public Future<Void> stop() {
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
    }
    stopping = true;
    loops.values().forEach(PollLoops::stop);
    // real time, not the platform's clock, which a test may hold still
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.getDrainTimeoutMs());
    return drained(until)
        .compose(v -> changes == null ? Future.succeededFuture() : changes.unregister())
        .compose(v -> answers == null ? Future.succeededFuture() : answers.stop())
        .compose(v -> replies == null ? Future.succeededFuture() : replies.close())
        .eventually(() -> workers == null ? Future.succeededFuture() : workers.close());
  }

  private Future<Void> drained(long untilNanos) {
    int inflight = loops.values().stream().mapToInt(PollLoops::inflight).sum();
    if (inflight == 0 || System.nanoTime() - untilNanos >= 0) {
      if (inflight > 0) {
        LOG.warn("Cadence poller stops with {} tasks inflight; the next poller answers them", inflight);
      }
      return Future.succeededFuture();
    }
    return vertx.timer(100).compose(v -> drained(untilNanos));
  }

  /** Walks the bindings now; a walk asked for while one runs happens right after it. */
  void refresh() {
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    bindings.all(MAX_BINDINGS).onComplete(walked -> {
      if (walked.succeeded()) {
        try {
          reconcile(walked.result());
        } catch (RuntimeException unexpected) {
          // a refresh that threw must not stop the next ones
          LOG.error("Cadence bindings could not be applied", unexpected);
        }
      } else {
        LOG.warn("Cadence bindings could not be read: {}", walked.cause().getMessage());
      }
      refreshing = false;
      if (refreshAgain) {
        refreshAgain = false;
        refresh();
      }
    });
  }

  private void reconcile(Map<String, JsonObject> docs) {
    if (stopping) {
      return;
    }
    for (String entry : new ArrayList<>(loops.keySet())) {
      JsonObject doc = docs.get(entry);
      PollLoops running = loops.get(entry);
      if (doc == null || !doc.getJsonObject("spec").getBoolean("enabled", true)
          || doc.getLong("updated_at_ms") != running.binding().updatedAtMs()) {
        running.stop();
        loops.remove(entry);
        LOG.info("binding {} stops polling", entry);
      }
    }
    docs.forEach((entry, doc) -> {
      if (loops.containsKey(entry) || !doc.getJsonObject("spec").getBoolean("enabled", true)) {
        return;
      }
      try {
        BindingSpec spec = BindingSpec.fromJson(doc.getJsonObject("spec"), doc.getString("name"));
        PollLoops started = new PollLoops(new PollLoops.Binding(entry, doc.getString("tenant"),
            doc.getString("namespace"), doc.getString("name"), spec, doc.getLong("updated_at_ms")), service,
            this::handOver, metrics.polls());
        loops.put(entry, started);
        started.start();
        LOG.info("binding {} polls domain {} tasklist {} with {} loops", entry, spec.domain(), spec.tasklist(),
            spec.activityPollers());
      } catch (CsException invalid) {
        LOG.warn("binding {} is not valid any more and does not poll: {}", entry, invalid.getMessage());
      }
    });
  }

  /** On a poll loop's thread: the task goes to the event loop, with the slot it holds. */
  private void handOver(PollLoops owner, PollForActivityTaskResponse response) {
    context.runOnContext(v -> accept(owner, response));
  }

  private void accept(PollLoops owner, PollForActivityTaskResponse response) {
    PollLoops.Binding b = owner.binding();
    ActivityTask task = ActivityTask.of(b.name(), b.tenant(), b.namespace(), b.spec().tasklist(), response,
        b.spec().domain());
    metrics.received(b.entry());
    LOG.info("task received: binding {} domain {} tasklist {} workflowId {} runId {} activityId {} attempt {}",
        b.entry(), task.domain(), task.tasklist(), task.workflowId(), task.runId(), task.activityId(),
        task.attempt());
    BindingSpec.Target target = b.spec().activityMap().get(task.activityType());
    if (target == null) {
      owner.release();
      answers.refuse(task, b.spec().workerId(), FailureReasons.failure(ErrorCode.CS_NOT_FOUND,
          "binding " + b.name() + " maps no function to activity type " + task.activityType()));
      return;
    }
    long now = clockMs.getAsLong();
    functions.resolve(b.tenant(), b.namespace(), target.function(), FunctionRef.parse("ref", target.ref()))
        .compose(meta -> {
          var request = task.request(target.function(), target.ref(), meta, route, now, RESULT_MARGIN_MS);
          return tokens.record(task, b.spec(), request, now)
              .compose(fresh -> fresh ? publish(owner, task, request, now) : seenBefore(owner));
        })
        .onFailure(failure -> {
          owner.release();
          if (failure instanceof CsException cs && cs.code() == ErrorCode.CS_NOT_FOUND) {
            answers.refuse(task, b.spec().workerId(), FailureReasons.failure(cs.code(), cs.getMessage()));
          } else {
            unpublished(task, b, failure);
          }
        });
  }

  /** The same task handed out again: its activation runs already, and its result answers it. */
  private static Future<Void> seenBefore(PollLoops owner) {
    owner.release();
    return Future.succeededFuture();
  }

  private Future<Void> publish(PollLoops owner, ActivityTask task, InvocationRequest request, long now) {
    PollLoops.Binding b = owner.binding();
    answers.track(task, b.spec());
    replies.register(task.activationId(), request.deadlineMs() - now).onComplete(ended -> {
      owner.release();
      answers.ended(task.activationId());
    });
    return codeq.publish(Topics.INVOKE, task.activationId(),
            TypedMessage.of(request, MessageCodec::encode, request.heapBytes()))
        .recover(failure -> {
          replies.cancel(task.activationId());
          owner.release();
          answers.ended(task.activationId());
          unpublished(task, b, failure);
          return Future.succeededFuture();
        });
  }

  /** KV or queue unavailable: the task is left to its Cadence timeout, after which Cadence hands it out again. */
  private static void unpublished(ActivityTask task, PollLoops.Binding b, Throwable failure) {
    LOG.warn("task {} of binding {} (workflowId {} activityId {}) was not published: {}", task.activationId(),
        b.entry(), task.workflowId(), task.activityId(), failure.getMessage());
  }

  /** The activation id attempt {@code attempt} (1-based) of an activity runs as: see {@link ActivityTask}. */
  public static String activationId(String domain, String workflowId, String runId, String activityId, int attempt) {
    return ActivityTask.activationId(domain, workflowId, runId, activityId, attempt);
  }

  /**
   * The activations of Cadence tasks that wait for an invoker, which has not written their record yet, as the token
   * map knows them: so the cancel endpoint finds them.
   */
  public static QueuedCancels.Unclaimed waitingTasks(KvStore kv) {
    return new TaskTokens(kv)::queued;
  }

  /** Succeeds when Cadence answers its health check in time: for {@code /readyz}. */
  public Future<Void> reachable() {
    return calls == null ? Future.failedFuture(new IllegalStateException("the Cadence poller has not started"))
        : calls.healthy();
  }

}
