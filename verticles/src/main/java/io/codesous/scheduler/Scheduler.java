package io.codesous.scheduler;

import io.codesous.codeq.CodeQ;
import io.codesous.component.Lifecycle;
import io.codesous.results.ReplyRoute;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.message.InvocationResult;
import io.codesous.store.FunctionStore;
import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleState;
import io.codesous.store.ScheduleState.Fire;
import io.codesous.store.ScheduleStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The scheduler. The leader keeps every schedule in a {@link DueQueue} by when it next needs a step, loaded in
 * full when it takes the lead and every {@code refreshMs}, and kept current from the changes the control API
 * announces ({@link ScheduleStore#takeChanges}). Every {@code pollMs} it takes what is due, reads those documents
 * in one batched read, records each one's ticks with a compare-and-set (all of them in flight together) and only
 * then publishes the runs that won. Two schedulers may step at once: only one compare-and-set records a tick, and
 * the activation id is derived from the tick, so a tick runs once.
 *
 * <p>State writes carry the leader's epoch ({@link ScheduleStore#LEADER_EPOCH}): a scheduler that finds a higher
 * one in a document has been deposed, writes nothing and fires nothing, even before its own lease tells it so.
 *
 * <p>It waits for the results of what it published on a reply route of its own (see {@link ReplyRoute}); a result
 * clears the run's inflight marker and releases a buffered tick. A result that never comes is covered by the
 * marker's expiry (the version's timeout plus a margin). Everything runs on this component's event loop.
 */
public final class Scheduler implements Lifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  static final int MAX_SCHEDULES = 100_000;
  /** Schedules stepped per poll at most; the rest wait for the next poll (their lag shows it). */
  static final int STEP_BATCH = 20_000;
  static final int CHANGES_BATCH = 10_000;

  private final Vertx vertx;
  private final ScheduleStore schedules;
  private final FunctionStore functions;
  private final CodeQ codeq;
  private final SchedulerOptions options;
  private final String route;
  private final LongSupplier clockMs;
  private final LeaderElection election;
  private final SchedulerMeters meters;
  private final DueQueue queue = new DueQueue();
  private ReplyRoute replies;
  private TickPublisher publisher;
  private long timer = -1;
  private boolean walking;
  /** The epoch the queue was loaded under (0: not loaded), and when. */
  private long loadedEpoch;
  private long loadedAtMs;

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
    this.meters = new SchedulerMeters(Objects.requireNonNull(registry, "registry"), election, queue::size);
  }

  @Override
  public Future<Void> start() {
    return ReplyRoute.open(vertx, route).map(opened -> {
      replies = opened;
      publisher = new TickPublisher(functions, codeq, opened, route, options.markerMarginMs(), clockMs);
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

  /** One poll, by the leader only; a poll still running when the next is due lets that one pass. */
  Future<Void> walk() {
    if (walking) {
      return Future.succeededFuture();
    }
    walking = true;
    return election.lead().compose(leading -> {
      long epoch = election.epoch();
      if (!leading || epoch == 0) {
        queue.clear();
        loadedEpoch = 0;
        return Future.<Void>succeededFuture();
      }
      boolean reload = epoch != loadedEpoch || clockMs.getAsLong() - loadedAtMs >= options.refreshMs();
      return (reload ? loadAll(epoch) : takeChanges()).compose(v -> stepDue(epoch));
    }).onFailure(failure -> LOG.warn("schedule poll failed: {}", failure.getMessage()))
        .onComplete(done -> walking = false);
  }

  /** Changes announced before the load are taken first, so the load reads documents at least as new as them. */
  private Future<Void> loadAll(long epoch) {
    long at = clockMs.getAsLong();
    return schedules.takeChanges(MAX_SCHEDULES).compose(ignored -> schedules.registry(MAX_SCHEDULES))
        .compose(entries -> schedules.documents(entries).map(docs -> {
          queue.clear();
          long now = clockMs.getAsLong();
          for (String entry : entries) {
            String raw = docs.get(ScheduleStore.keyOf(entry));
            if (raw != null) {
              queue.put(entry, dueAt(new JsonObject(raw).getJsonObject("state"), now));
            }
          }
          loadedEpoch = epoch;
          loadedAtMs = at;
          return null;
        }));
  }

  private Future<Void> takeChanges() {
    return schedules.takeChanges(CHANGES_BATCH).compose(entries -> entries.isEmpty()
        ? Future.succeededFuture()
        : schedules.documents(entries).map(docs -> {
          long now = clockMs.getAsLong();
          for (String entry : entries) {
            String raw = docs.get(ScheduleStore.keyOf(entry));
            queue.put(entry, raw == null ? null : dueAt(new JsonObject(raw).getJsonObject("state"), now));
          }
          return null;
        }));
  }

  private Future<Void> stepDue(long epoch) {
    long now = clockMs.getAsLong();
    List<String> due = queue.takeDue(now, STEP_BATCH);
    if (due.isEmpty()) {
      return Future.succeededFuture();
    }
    return schedules.documents(due).compose(docs -> {
      List<Future<Void>> steps = new ArrayList<>(due.size());
      for (String entry : due) {
        String raw = docs.get(ScheduleStore.keyOf(entry));
        if (raw != null) {
          steps.add(step(entry, raw, now, epoch));
        }
      }
      return Future.join(steps).<Void>mapEmpty().recover(partial -> Future.succeededFuture());
    }, unreachable -> {
      // the batch read failed: the schedules stay due for the next poll
      due.forEach(entry -> queue.put(entry, now));
      return Future.failedFuture(unreachable);
    });
  }

  /**
   * When a schedule next needs a step: its next tick, the expiry of an inflight marker (which may release a
   * buffered tick), or now when a manual trigger waits; {@code null} when nothing will ever be due on its own.
   */
  static Long dueAt(JsonObject state, long now) {
    if (!state.getJsonArray("triggers").isEmpty()) {
      return now;
    }
    Long due = state.getLong("next_fire_at_ms");
    JsonObject inflight = state.getJsonObject("inflight");
    for (String id : inflight.fieldNames()) {
      long expires = inflight.getLong(id);
      due = due == null ? expires : Math.min(due, expires);
    }
    return due;
  }

  private Future<Void> step(String entry, String seen, long now, long epoch) {
    List<Fire> fires = new ArrayList<>();
    JsonObject[] before = new JsonObject[1];
    boolean[] deposed = new boolean[1];
    return schedules.changeFrom(entry, seen, current -> {
      fires.clear();
      before[0] = current;
      deposed[0] = current.getLong(ScheduleStore.LEADER_EPOCH, 0L) > epoch;
      Long due = dueAt(current.getJsonObject("state"), now);
      if (deposed[0] || due == null || due > now) {
        return null;
      }
      JsonObject doc = current.copy().put(ScheduleStore.LEADER_EPOCH, epoch);
      ScheduleSpec spec = ScheduleSpec.fromJson(doc.getJsonObject("spec"));
      fires.addAll(ScheduleState.due(doc, spec, now, options.onTimeMs(), options.markerMarginMs()));
      fires.addAll(ScheduleState.expired(doc, now, options.markerMarginMs()));
      return doc;
    }).compose(stored -> {
      if (deposed[0]) {
        LOG.warn("schedule {} was written by a newer leader; this scheduler (epoch {}) stands down", entry, epoch);
        queue.clear();
        loadedEpoch = 0;
        return Future.succeededFuture();
      }
      JsonObject doc = stored == null ? before[0] : stored;
      queue.put(entry, dueAt(doc.getJsonObject("state"), clockMs.getAsLong()));
      return stored == null ? Future.succeededFuture() : afterChange(entry, stored, before[0], fires);
    }, failure -> {
      LOG.warn("schedule {} step failed: {}", entry, failure.getMessage());
      if (!(failure instanceof CsException cs && cs.code() == ErrorCode.CS_NOT_FOUND)) {
        queue.put(entry, clockMs.getAsLong() + options.pollMs());
      }
      return Future.succeededFuture();
    });
  }

  private Future<Void> afterChange(String entry, JsonObject stored, JsonObject before, List<Fire> fires) {
    meters.countNewTicks(before.getJsonObject("state"), stored.getJsonObject("state"));
    List<Future<Void>> published = new ArrayList<>();
    for (Fire fire : fires) {
      published.add(publisher.publish(stored, fire, result -> ended(entry, fire.activationId(), result))
          .onSuccess(v -> meters.published(fire, clockMs.getAsLong()))
          .onFailure(failure -> LOG.warn("schedule {} tick {} (activation {}) was not published: {}", entry,
              fire.scheduledAtMs(), fire.activationId(), failure.getMessage())));
    }
    return Future.join(published).mapEmpty();
  }

  /** The run ended (or the wait did): the marker goes, and a buffered tick may fire. */
  private void ended(String entry, String activationId, Optional<InvocationResult> result) {
    if (result.isEmpty()) {
      // no result within timeout plus margin: the marker expires on its own at about this time
      return;
    }
    long now = clockMs.getAsLong();
    long epoch = election.epoch();
    List<Fire> fires = new ArrayList<>();
    JsonObject[] before = new JsonObject[1];
    String[] parts = entry.split(":", 3);
    schedules.change(parts[0], parts[1], parts[2], false, current -> {
      fires.clear();
      before[0] = current;
      if (!current.getJsonObject("state").getJsonObject("inflight").containsKey(activationId)
          || epoch == 0 || current.getLong(ScheduleStore.LEADER_EPOCH, 0L) > epoch) {
        return null;
      }
      JsonObject doc = current.copy().put(ScheduleStore.LEADER_EPOCH, epoch);
      fires.addAll(ScheduleState.ended(doc, ScheduleSpec.fromJson(doc.getJsonObject("spec")), activationId,
          now, options.markerMarginMs()));
      return doc;
    }).compose(stored -> {
      if (stored == null) {
        return Future.succeededFuture();
      }
      queue.put(entry, dueAt(stored.getJsonObject("state"), clockMs.getAsLong()));
      return afterChange(entry, stored, before[0], fires);
    }).onFailure(failure -> LOG.warn("clearing run {} of schedule {} failed: {}", activationId, entry,
        failure.getMessage()));
  }
}
