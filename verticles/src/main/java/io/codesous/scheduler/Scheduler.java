package io.codesous.scheduler;

import io.codesous.codeq.CodeQ;
import io.codesous.component.Lifecycle;
import io.codesous.results.ReplyRoute;
import io.codesous.store.FunctionStore;
import io.codesous.store.ScheduleStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The scheduler. The leader keeps every schedule in memory by when it next needs a step, spread over
 * {@link SchedulerOptions#lanes} {@link SchedulerLane}s by registry entry, each stepping its share on an event loop of
 * its own. The schedules are loaded in full when this process takes the lead and every {@code refreshMs}, and kept
 * current from the changes the control API announces ({@link ScheduleStore#takeChanges}). A lane steps what is due
 * in batches: one read of the batch's documents it did not write itself last ({@link WrittenDocuments}), one
 * conditional write of their new states ({@link ScheduleStore#changeEach}), and only then the publishes of the runs
 * that won ({@link TickSteps}). Two
 * schedulers may step at once: only one compare-and-set records a tick, and the activation id is derived from the
 * tick, so a tick runs once.
 *
 * <p>State writes carry the leader's epoch ({@link ScheduleStore#LEADER_EPOCH}): a scheduler that finds a higher
 * one in a document has been deposed, writes nothing and fires nothing, even before its own lease tells it so.
 *
 * <p>Each lane waits for the results of what it published on a reply route of its own (see {@link ReplyRoute}); a
 * result clears the run's inflight marker and releases a buffered tick. A result that never comes is covered by the
 * marker's expiry (the version's timeout plus a margin). The election, the loads and the announcements run on this
 * component's event loop; the lanes' steps on theirs.
 */
public final class Scheduler implements Lifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  static final int MAX_SCHEDULES = 100_000;
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
  private final List<SchedulerLane> lanes;
  private Context context;
  private long timer = -1;
  private boolean stopped;
  private boolean walking;
  /** The epoch the lanes were loaded under (0: not loaded), and when. */
  private long loadedEpoch;
  private long loadedAtMs;
  /** The epoch the lanes step under: {@link #loadedEpoch} once every lane has its share, 0 otherwise. */
  private volatile long leadingEpoch;

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
    this.meters = new SchedulerMeters(Objects.requireNonNull(registry, "registry"), election, this::held);
    List<SchedulerLane> made = new ArrayList<>();
    for (int i = 0; i < options.lanes(); i++) {
      // a context of its own on the next event loop of the pool: the lanes step side by side
      made.add(new SchedulerLane(vertx, ((VertxInternal) vertx).createEventLoopContext(), schedules, functions,
          codeq, options, route + "-" + i, clockMs, () -> leadingEpoch, meters, this::deposed));
    }
    this.lanes = List.copyOf(made);
  }

  @Override
  public Future<Void> start() {
    context = Vertx.currentContext();
    return Future.all(lanes.stream().map(lane -> onLane(lane, lane::start)).toList()).map(all -> {
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
    leadingEpoch = 0;
    return Future.join(lanes.stream().map(lane -> onLane(lane, lane::stop)).toList())
        .transform(ignored -> election.resign());
  }

  /** Whether this scheduler fires ticks now (the others stand by). */
  public boolean leads() {
    return election.epoch() > 0;
  }

  /** How many schedules this scheduler holds in memory: all of them while it leads, none otherwise. */
  int held() {
    int held = 0;
    for (SchedulerLane lane : lanes) {
      held += lane.held();
    }
    return held;
  }

  /** Looks every {@code pollMs}: whether this process leads, then the announced changes (or the periodic reload). */
  private void poll() {
    walk().onComplete(done -> {
      if (!stopped) {
        timer = vertx.setTimer(options.pollMs(), id -> poll());
      }
    });
  }

  /** One look; a look still running when the next is due lets that one pass. */
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
      if (epoch != loadedEpoch || clockMs.getAsLong() - loadedAtMs >= options.refreshMs()) {
        return loadAll(epoch);
      }
      return takeChanges();
    }).onFailure(failure -> LOG.warn("schedule poll failed: {}", FailureReason.of(failure)))
        .onComplete(done -> walking = false);
  }

  /** This scheduler does not lead (or no longer): it holds no schedules, and loads them all if it leads again. */
  private void letGo() {
    leadingEpoch = 0;
    loadedEpoch = 0;
    lanes.forEach(lane -> lane.run(lane::letGo));
  }

  /**
   * A lane found a newer leader's epoch in a document: every lane lets its schedules go, and the election learns at
   * once that the lease is someone else's rather than when it runs out. Called on the lane's loop.
   */
  private void deposed() {
    leadingEpoch = 0;
    context.runOnContext(v -> {
      if (loadedEpoch != 0) {
        LOG.warn("this scheduler was deposed: a newer leader wrote its schedules; it stands down");
        letGo();
        election.resign();
      }
    });
  }

  /** Changes announced before the load are taken first, so the load reads documents at least as new as them. */
  private Future<Void> loadAll(long epoch) {
    long at = clockMs.getAsLong();
    boolean takeover = epoch != loadedEpoch;
    return schedules.takeChanges(MAX_SCHEDULES).compose(ignored -> schedules.registry(MAX_SCHEDULES))
        .compose(entries -> schedules.documents(entries).compose(docs -> {
          List<Future<Void>> loaded = new ArrayList<>();
          shares(entries, docs).forEach((lane, share) -> loaded.add(onLane(lane, () -> {
            lane.load(epoch, share, takeover);
            return Future.succeededFuture();
          })));
          return Future.all(loaded);
        })).map(all -> {
          loadedEpoch = epoch;
          loadedAtMs = at;
          leadingEpoch = epoch;
          return null;
        });
  }

  private Future<Void> takeChanges() {
    return schedules.takeChanges(CHANGES_BATCH).compose(entries -> entries.isEmpty()
        ? Future.succeededFuture()
        : schedules.documents(entries).map(docs -> {
          shares(entries, docs).forEach((lane, share) -> {
            if (!share.isEmpty()) {
              lane.run(() -> share.forEach(lane::changed));
            }
          });
          return null;
        }));
  }

  /**
   * Each lane's share of {@code entries}: entry to its document's text, {@code null} where the document is gone. An
   * entry belongs to the lane its hash names, so a schedule is always stepped by the same lane. The lanes parse
   * what they need of their shares themselves (see {@link SchedulerLane#load}).
   */
  private Map<SchedulerLane, Map<String, String>> shares(List<String> entries, Map<String, String> docs) {
    Map<SchedulerLane, Map<String, String>> shares = new LinkedHashMap<>();
    lanes.forEach(lane -> shares.put(lane, new LinkedHashMap<>()));
    for (String entry : entries) {
      shares.get(lanes.get(Math.floorMod(entry.hashCode(), lanes.size())))
          .put(entry, docs.get(ScheduleStore.keyOf(entry)));
    }
    return shares;
  }

  /** Runs {@code work} on {@code lane}'s loop; its outcome completes the answer on this component's loop. */
  private <T> Future<T> onLane(SchedulerLane lane, Supplier<Future<T>> work) {
    Promise<T> answer = Promise.promise();
    lane.run(() -> {
      Future<T> done;
      try {
        done = work.get();
      } catch (RuntimeException thrown) {
        // answered rather than left to the context's handler: a load that never answers would stop every poll
        done = Future.failedFuture(thrown);
      }
      done.onComplete(outcome -> context.runOnContext(v -> answer.handle(outcome)));
    });
    return answer.future();
  }
}
