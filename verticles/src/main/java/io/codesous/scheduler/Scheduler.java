package io.codesous.scheduler;

import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.codesous.codeq.CodeQ;
import io.codesous.component.Lifecycle;
import io.codesous.results.ReplyRoute;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.codesous.spec.message.Trigger;
import io.codesous.spec.model.FunctionRef;
import io.codesous.store.FunctionStore;
import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleState;
import io.codesous.store.ScheduleState.Fire;
import io.codesous.store.ScheduleStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The scheduler: every {@code pollMs} it walks the schedules, and for each one with a tick due records the ticks'
 * outcomes with a compare-and-set on the schedule's document and only then publishes the runs that won. Two
 * schedulers may walk at once: only one compare-and-set records a tick, and the activation id is derived from the
 * tick, so a tick runs once.
 *
 * <p>It waits for the results of what it published on a reply route of its own (see {@link ReplyRoute}); a result
 * clears the run's inflight marker and releases a buffered tick. A result that never comes is covered by the
 * marker's expiry (the version's timeout plus a margin). Everything runs on this component's event loop.
 */
public final class Scheduler implements Lifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  static final int MAX_SCHEDULES = 100_000;

  private final Vertx vertx;
  private final ScheduleStore schedules;
  private final FunctionStore functions;
  private final CodeQ codeq;
  private final SchedulerOptions options;
  private final String route;
  private final LongSupplier clockMs;
  private final MeterRegistry registry;
  private final LeaderElection election;
  private final Timer lag;
  private ReplyRoute replies;
  private long timer = -1;
  private boolean walking;

  public Scheduler(Vertx vertx, ScheduleStore schedules, FunctionStore functions, CodeQ codeq,
                   SchedulerOptions options, String route, LongSupplier clockMs, MeterRegistry registry,
                   LeaderElection election) {
    this.election = Objects.requireNonNull(election, "election");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.schedules = Objects.requireNonNull(schedules, "schedules");
    this.functions = Objects.requireNonNull(functions, "functions");
    this.codeq = Objects.requireNonNull(codeq, "codeq");
    this.options = Objects.requireNonNull(options, "options");
    this.route = Objects.requireNonNull(route, "route");
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.lag = Timer.builder("cs.scheduler.tick.lag").publishPercentiles(0.5, 0.99).register(registry);
    registry.gauge("cs.scheduler.leader", this, s -> s.election.epoch() > 0 ? 1 : 0);
  }

  @Override
  public Future<Void> start() {
    return ReplyRoute.open(vertx, route).map(opened -> {
      replies = opened;
      timer = vertx.setPeriodic(options.pollMs(), id -> walk());
      return null;
    });
  }

  @Override
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return election.resign().compose(v -> replies == null ? Future.succeededFuture() : replies.close());
  }

  /** Whether this scheduler fires ticks now (the others stand by). */
  public boolean leads() {
    return election.epoch() > 0;
  }

  /**
   * One walk over every schedule, by the leader only; a walk still running when the next is due lets that one
   * pass.
   */
  Future<Void> walk() {
    if (walking) {
      return Future.succeededFuture();
    }
    walking = true;
    return election.lead().compose(leading -> !leading ? Future.<Void>succeededFuture() : walkAll())
        .onComplete(done -> walking = false);
  }

  private Future<Void> walkAll() {
    return schedules.registry(MAX_SCHEDULES)
        .compose(entries -> schedules.documents(entries).compose(docs -> {
          long now = clockMs.getAsLong();
          List<Future<Void>> steps = new ArrayList<>();
          for (Map.Entry<String, String> e : docs.entrySet()) {
            JsonObject doc = new JsonObject(e.getValue());
            if (needsStep(doc.getJsonObject("state"), now)) {
              steps.add(step(doc, now));
            }
          }
          return Future.join(steps).<Void>mapEmpty().recover(partial -> Future.succeededFuture());
        }))
        .onFailure(failure -> LOG.warn("schedule walk failed: {}", failure.getMessage()));
  }

  private static boolean needsStep(JsonObject state, long now) {
    Long next = state.getLong("next_fire_at_ms");
    if (next != null && next <= now || !state.getJsonArray("triggers").isEmpty()) {
      return true;
    }
    JsonObject inflight = state.getJsonObject("inflight");
    for (String id : inflight.fieldNames()) {
      if (inflight.getLong(id) <= now) {
        return true;
      }
    }
    return false;
  }

  private Future<Void> step(JsonObject seen, long now) {
    String tenant = seen.getString("tenant");
    String namespace = seen.getString("namespace");
    String name = seen.getString("name");
    List<Fire> fires = new ArrayList<>();
    JsonObject[] before = new JsonObject[1];
    return schedules.change(tenant, namespace, name, false, current -> {
      fires.clear();
      before[0] = current;
      JsonObject doc = current.copy();
      ScheduleSpec spec = ScheduleSpec.fromJson(doc.getJsonObject("spec"));
      if (!needsStep(doc.getJsonObject("state"), now)) {
        return null;
      }
      fires.addAll(ScheduleState.due(doc, spec, now, options.onTimeMs(), options.markerMarginMs()));
      fires.addAll(ScheduleState.expired(doc, now, options.markerMarginMs()));
      return doc;
    }).compose(stored -> stored == null ? Future.succeededFuture() : afterChange(stored, before[0], fires))
        .onFailure(failure -> LOG.warn("schedule {}/{}/{} step failed: {}", tenant, namespace, name,
            failure.getMessage()));
  }

  private Future<Void> afterChange(JsonObject stored, JsonObject before, List<Fire> fires) {
    countNewTicks(before.getJsonObject("state"), stored.getJsonObject("state"), fires);
    List<Future<Void>> published = new ArrayList<>();
    for (Fire fire : fires) {
      published.add(publish(stored, fire));
    }
    return Future.join(published).mapEmpty();
  }

  private void countNewTicks(JsonObject before, JsonObject after, List<Fire> fires) {
    JsonObject was = before.getJsonObject("counters");
    JsonObject now = after.getJsonObject("counters");
    for (String outcome : List.of("fired", "skipped_overlap", "missed", "caught_up")) {
      long added = now.getLong(outcome, 0L) - was.getLong(outcome, 0L);
      if (added > 0) {
        registry.counter("cs.scheduler.ticks", "outcome", outcome).increment(added);
      }
    }
    for (Fire fire : fires) {
      lag.record(Math.max(0, fire.firedAtMs() - fire.scheduledAtMs()), TimeUnit.MILLISECONDS);
    }
  }

  private Future<Void> publish(JsonObject doc, Fire fire) {
    String tenant = doc.getString("tenant");
    String namespace = doc.getString("namespace");
    String name = doc.getString("name");
    ScheduleSpec spec = ScheduleSpec.fromJson(doc.getJsonObject("spec"));
    return functions.resolve(tenant, namespace, spec.function(), FunctionRef.parse("ref", spec.ref()))
        .compose(meta -> {
          long wait = meta.manifest().limits().timeoutMs() + options.markerMarginMs();
          JsonObject event = new JsonObject().put("type", Trigger.SCHEDULE)
              .put("schedule", new JsonObject().put("name", name).put("scheduled_at_ms", fire.scheduledAtMs())
                  .put("fired_at_ms", fire.firedAtMs()))
              .put("payload", spec.payload());
          Trigger trigger = new Trigger(Trigger.SCHEDULE, new JsonObject().put("schedule", name)
              .put("scheduled_at_ms", fire.scheduledAtMs()));
          long now = clockMs.getAsLong();
          InvocationRequest request = new InvocationRequest(fire.activationId(), fire.activationId(), tenant,
              namespace, spec.function(), spec.ref(), meta.version(), trigger, servicePrincipal(doc).toJson(), event,
              now + wait, meta.manifest().limits().timeoutMs(), route, null, null, now, 1);
          replies.register(fire.activationId(), wait).onComplete(result -> ended(doc, fire.activationId(),
              result.succeeded() ? result.result() : Optional.empty()));
          return codeq.publish(Topics.INVOKE, fire.activationId(), MessageCodec.encode(request)).<Void>mapEmpty()
              .onFailure(failure -> replies.cancel(fire.activationId()));
        })
        .onFailure(failure -> LOG.warn("schedule {}/{}/{} tick {} (activation {}) was not published: {}", tenant,
            namespace, name, fire.scheduledAtMs(), fire.activationId(), failure.getMessage()));
  }

  /**
   * Runs carry a service principal of the scheduler with the roles of whoever last wrote the schedule (that
   * writer was checked for {@code function:invoke} then), in the schedule's tenant only.
   */
  private static Principal servicePrincipal(JsonObject doc) {
    JsonObject writer = doc.getJsonObject("principal", new JsonObject());
    JsonArray roles = writer.getJsonArray("roles", new JsonArray());
    List<String> names = new ArrayList<>();
    roles.forEach(r -> names.add(String.valueOf(r)));
    return new Principal("cs-scheduler/" + doc.getString("namespace") + "/" + doc.getString("name"),
        doc.getString("tenant"), new java.util.TreeSet<>(names), PrincipalKind.SERVICE, null);
  }

  /** The run ended (or the wait did): the marker goes, and a buffered tick may fire. */
  private void ended(JsonObject seen, String activationId, Optional<InvocationResult> result) {
    if (result.isEmpty()) {
      // no result within timeout plus margin: the marker expires on its own at about this time
      return;
    }
    long now = clockMs.getAsLong();
    List<Fire> fires = new ArrayList<>();
    JsonObject[] before = new JsonObject[1];
    schedules.change(seen.getString("tenant"), seen.getString("namespace"), seen.getString("name"), false,
        current -> {
          fires.clear();
          before[0] = current;
          JsonObject doc = current.copy();
          if (!doc.getJsonObject("state").getJsonObject("inflight").containsKey(activationId)) {
            return null;
          }
          fires.addAll(ScheduleState.ended(doc, ScheduleSpec.fromJson(doc.getJsonObject("spec")), activationId,
              now, options.markerMarginMs()));
          return doc;
        })
        .compose(stored -> stored == null ? Future.succeededFuture() : afterChange(stored, before[0], fires))
        .onFailure(failure -> LOG.warn("clearing run {} of schedule {} failed: {}", activationId,
            seen.getString("name"), failure.getMessage()));
  }

}
