package io.codesous.scheduler;

import io.codesous.codeq.CodeQ;
import io.codesous.component.Lifecycle;
import io.codesous.results.ReplyRoute;
import io.codesous.store.FunctionStore;
import io.codesous.store.ScheduleState;
import io.codesous.store.ScheduleStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The scheduler. The leader keeps every schedule in a {@link DueQueue} by when it next needs a step, loaded in
 * full when it takes the lead and every {@code refreshMs}, and kept current from the changes the control API
 * announces ({@link ScheduleStore#takeChanges}). When the earliest schedule is due, and every {@code pollMs} at
 * most, it takes what is due and steps it in batches: one read of a batch's documents, one conditional write of
 * their new states ({@link ScheduleStore#changeEach}), and only then the publishes of the runs that won
 * ({@link TickSteps}). Two schedulers may step at once: only one compare-and-set records a tick, and
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
  private TickSteps steps;
  private long timer = -1;
  private boolean stopped;
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
      TickPublisher publisher = new TickPublisher(functions, codeq, opened, route, options.markerMarginMs(), clockMs);
      steps = new TickSteps(schedules, queue, publisher, options, clockMs, election, meters, this::letGo);
      timer = vertx.setTimer(options.pollMs(), id -> poll());
      return null;
    });
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
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

  /**
   * Polls, then waits for the next: until the earliest schedule is due, {@code pollMs} at most (the control API's
   * changes are looked for on every poll). A fixed period would let a tick wait up to a whole period for the poll
   * that finds it: ticks of every second, due at whole seconds, all waited as long as the period's phase happened to
   * put them, the same in every second of a run.
   */
  private void poll() {
    walk().onComplete(done -> {
      if (!stopped) {
        long untilDue = queue.nextDueAtMs() - clockMs.getAsLong();
        timer = vertx.setTimer(Math.max(1, Math.min(options.pollMs(), untilDue)), id -> poll());
      }
    });
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
        letGo();
        return Future.<Void>succeededFuture();
      }
      if (epoch != loadedEpoch) {
        return loadAll(epoch).compose(v -> stepDue(epoch));
      }
      // What is due goes first: a change's effect is in the document a step reads, whatever the queue holds, so
      // the announcements (a round trip on Redis) and the periodic reload (all documents) wait for the ticks
      boolean refresh = clockMs.getAsLong() - loadedAtMs >= options.refreshMs();
      return stepDue(epoch).compose(v -> refresh ? loadAll(epoch) : takeChanges());
    }).onFailure(failure -> LOG.warn("schedule poll failed: {}", failure.getMessage()))
        .onComplete(done -> walking = false);
  }

  /** This scheduler does not lead (or no longer): it holds no schedules, and loads them all if it leads again. */
  private void letGo() {
    queue.clear();
    steps.clear();
    loadedEpoch = 0;
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
                steps.republishInflight(entry, doc);
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
            if (raw == null) {
              queue.put(entry, null);
            } else {
              steps.requeue(entry, new JsonObject(raw).getJsonObject("state"));
            }
          }
          return null;
        }));
  }

  private Future<Void> stepDue(long epoch) {
    List<String> due = queue.takeDue(clockMs.getAsLong(), STEP_BATCH);
    return due.isEmpty() ? Future.succeededFuture() : steps.stepAll(due, epoch);
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
}
