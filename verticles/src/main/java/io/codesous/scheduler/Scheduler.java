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
import java.util.Map;
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
  /** Steps (each a compare-and-set, then its publishes) in flight at once. */
  static final int STEPS_IN_FLIGHT = 64;

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

  /** How many schedules this scheduler holds in memory: all of them while it leads, none otherwise. */
  int held() {
    return queue.size();
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
          boolean takeover = epoch != loadedEpoch;
          queue.clear();
          long now = clockMs.getAsLong();
          for (String entry : entries) {
            String raw = docs.get(ScheduleStore.keyOf(entry));
            if (raw != null) {
              JsonObject doc = new JsonObject(raw);
              queue.put(entry, dueAt(doc.getJsonObject("state"), now));
              if (takeover) {
                republishInflight(entry, doc);
              }
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
    return schedules.documents(due).compose(docs -> stepFrom(due, docs, 0, now, epoch), unreachable -> {
      // the batch read failed: the schedules stay due for the next poll
      due.forEach(entry -> queue.put(entry, now));
      return Future.failedFuture(unreachable);
    });
  }

  /**
   * Steps {@code due} from index {@code from}, {@link #STEPS_IN_FLIGHT} at a time: a KV client queues only so many
   * commands (the Redis adapter's pool refuses beyond its waiting limit), so thousands at once would fail.
   */
  private Future<Void> stepFrom(List<String> due, Map<String, String> docs, int from, long now, long epoch) {
    if (from >= due.size()) {
      return Future.succeededFuture();
    }
    int to = Math.min(due.size(), from + STEPS_IN_FLIGHT);
    List<Future<Void>> steps = new ArrayList<>(to - from);
    for (String entry : due.subList(from, to)) {
      String raw = docs.get(ScheduleStore.keyOf(entry));
      if (raw != null) {
        steps.add(step(entry, raw, now, epoch));
      }
    }
    return Future.join(steps).transform(done -> stepFrom(due, docs, to, now, epoch));
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
    for (Object marker : ScheduleState.inflight(state).getList()) {
      long expires = ScheduleState.markerExpiry(marker);
      due = due == null ? expires : Math.min(due, expires);
    }
    return due;
  }

  /**
   * The change works on the document it is given (a fresh parse on every attempt, so it may re-run) rather than a
   * copy: at ten thousand ticks a second, copying each document is a good part of the scheduler's CPU.
   */
  private Future<Void> step(String entry, String seen, long now, long epoch) {
    List<Fire> fires = new ArrayList<>();
    JsonObject[] before = new JsonObject[2];
    boolean[] deposed = new boolean[1];
    return schedules.changeFrom(entry, seen, current -> {
      fires.clear();
      before[0] = null;
      before[1] = current;
      deposed[0] = current.getLong(ScheduleStore.LEADER_EPOCH, 0L) > epoch;
      Long due = dueAt(current.getJsonObject("state"), now);
      if (deposed[0] || due == null || due > now) {
        return null;
      }
      before[0] = current.getJsonObject("state").getJsonObject("counters").copy();
      current.put(ScheduleStore.LEADER_EPOCH, epoch);
      ScheduleSpec spec = ScheduleSpec.fromJson(current.getJsonObject("spec"));
      fires.addAll(ScheduleState.due(current, spec, now, options.onTimeMs(), options.markerMarginMs()));
      fires.addAll(ScheduleState.expired(current, now, options.markerMarginMs()));
      return current;
    }).compose(stored -> {
      if (deposed[0]) {
        LOG.warn("schedule {} was written by a newer leader; this scheduler (epoch {}) stands down", entry, epoch);
        queue.clear();
        loadedEpoch = 0;
        // its lease is someone else's by now: the election learns so at once rather than when its lease runs out
        return election.resign();
      }
      JsonObject doc = stored == null ? before[1] : stored;
      queue.put(entry, dueAt(doc.getJsonObject("state"), clockMs.getAsLong()));
      return stored == null ? Future.succeededFuture() : afterChange(entry, stored, before[0], fires);
    }, failure -> {
      LOG.warn("schedule {} step failed: {}", entry, failure.getMessage());
      if (!(failure instanceof CsException cs && cs.code() == ErrorCode.CS_NOT_FOUND)) {
        queue.put(entry, clockMs.getAsLong() + options.pollMs());
      }
      return Future.succeededFuture();
    }).onFailure(failure -> LOG.warn("schedule {}: its recorded ticks were not all published", entry, failure));
  }

  private Future<Void> afterChange(String entry, JsonObject stored, JsonObject countersBefore, List<Fire> fires) {
    meters.countNewTicks(countersBefore, stored.getJsonObject("state").getJsonObject("counters"));
    List<Future<Void>> published = new ArrayList<>();
    for (Fire fire : fires) {
      published.add(publish(entry, stored, fire).onSuccess(v -> meters.published(fire, clockMs.getAsLong())));
    }
    return Future.join(published).mapEmpty();
  }

  private Future<Void> publish(String entry, JsonObject doc, Fire fire) {
    return publisher.publish(doc, fire, result -> ended(entry, fire.activationId(), result))
        .onFailure(failure -> LOG.warn("schedule {} tick {} (activation {}) was not published: {}", entry,
            fire.scheduledAtMs(), fire.activationId(), failure.getMessage()));
  }

  /**
   * A new leader publishes again the runs its predecessor recorded as inflight: a predecessor that died between
   * recording a tick and publishing it would otherwise lose that tick. The activation id is the tick's, so a run
   * that was published already is not run twice.
   */
  private void republishInflight(String entry, JsonObject doc) {
    JsonObject state = doc.getJsonObject("state");
    if (ScheduleState.inflight(state).isEmpty()) {
      return;
    }
    for (Object t : state.getJsonArray("ticks")) {
      JsonObject tick = (JsonObject) t;
      String id = tick.getString("activation_id");
      if (id != null && ScheduleState.isInflight(state, id)) {
        publish(entry, doc, new Fire(id, tick.getLong("scheduled_at_ms"), tick.getLong("fired_at_ms"),
            tick.getString("outcome")));
      }
    }
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
      if (!ScheduleState.isInflight(current.getJsonObject("state"), activationId)
          || epoch == 0 || current.getLong(ScheduleStore.LEADER_EPOCH, 0L) > epoch) {
        return null;
      }
      before[0] = current.getJsonObject("state").getJsonObject("counters").copy();
      current.put(ScheduleStore.LEADER_EPOCH, epoch);
      fires.addAll(ScheduleState.ended(current, ScheduleSpec.fromJson(current.getJsonObject("spec")), activationId,
          now, options.markerMarginMs()));
      return current;
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
