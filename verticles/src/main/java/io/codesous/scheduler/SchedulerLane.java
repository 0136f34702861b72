package io.codesous.scheduler;

import io.codesous.codeq.CodeQ;
import io.codesous.results.ReplyRoute;
import io.codesous.store.FunctionStore;
import io.codesous.store.ScheduleDocument;
import io.codesous.store.ScheduleStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A share of the leader's schedules (those whose registry entry hashes to it), stepped on an event loop of its own:
 * its {@link DueQueue}, its {@link TickSteps} and a reply route of its own, so the results of its runs come back to
 * the loop that holds their schedules. At ten thousand schedules a second, all due at the start of the second, one
 * loop was busy for about two thirds of each second and the last ticks of a second waited that long; lanes step
 * their shares side by side. The {@link Scheduler} decides whether this process leads and loads every lane; a lane
 * steps only while its share was loaded under the epoch the scheduler currently leads with.
 *
 * <p>Everything here runs on the lane's context; the scheduler reaches it through {@link #run}.
 */
final class SchedulerLane {

  private static final Logger LOG = LoggerFactory.getLogger(SchedulerLane.class);
  /** Schedules stepped per look at most; the rest wait for the next look (their lag shows it). */
  static final int STEP_BATCH = 20_000;

  private final Vertx vertx;
  private final Context context;
  private final ScheduleStore schedules;
  private final FunctionStore functions;
  private final CodeQ codeq;
  private final SchedulerOptions options;
  private final String route;
  private final LongSupplier clockMs;
  private final LongSupplier leadingEpoch;
  private final SchedulerMeters meters;
  private final Runnable deposed;
  private final DueQueue queue = new DueQueue();
  private ReplyRoute replies;
  private TickSteps steps;
  private long timer = -1;
  private boolean stepping;
  private boolean stopped;
  /** The epoch this lane's share was loaded under; 0 while it holds none. */
  private long loadedEpoch;
  /** How many schedules the lane holds, for readers on other threads. */
  private volatile int held;

  /**
   * @param leadingEpoch the epoch the scheduler leads with now (0 when it does not lead), read on every look
   * @param deposed      what the lane does on finding a newer leader's epoch in a document, after letting its share
   *                     go
   */
  SchedulerLane(Vertx vertx, Context context, ScheduleStore schedules, FunctionStore functions, CodeQ codeq,
                SchedulerOptions options, String route, LongSupplier clockMs, LongSupplier leadingEpoch,
                SchedulerMeters meters, Runnable deposed) {
    this.vertx = vertx;
    this.context = context;
    this.schedules = schedules;
    this.functions = functions;
    this.codeq = codeq;
    this.options = options;
    this.route = route;
    this.clockMs = clockMs;
    this.leadingEpoch = leadingEpoch;
    this.meters = meters;
    this.deposed = deposed;
  }

  /** Opens the lane's reply route and starts looking for due schedules; runs on the lane's context. */
  Future<Void> start() {
    return ReplyRoute.open(vertx, route).map(opened -> {
      replies = opened;
      TickPublisher publisher = new TickPublisher(functions, codeq, opened, route, options.markerMarginMs(), clockMs);
      steps = new TickSteps(vertx, schedules, queue, publisher, options, clockMs, leadingEpoch, meters, () -> {
        letGo();
        deposed.run();
      });
      timer = vertx.setTimer(options.pollMs(), id -> look());
      return null;
    });
  }

  Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return replies == null ? Future.succeededFuture() : replies.close();
  }

  /** Runs {@code command} on this lane's context. */
  void run(Runnable command) {
    context.runOnContext(v -> command.run());
  }

  int held() {
    return held;
  }

  /**
   * Takes this lane's share as the scheduler read it under {@code epoch}: every schedule by when it is next due;
   * on a takeover, the runs a predecessor recorded as inflight are published again (see
   * {@link TickSteps#republishInflight}).
   *
   * <p>A load under the epoch the lane holds its share by already is the periodic refresh, which is there for writes
   * nobody announced: of its documents, only those that differ from what this lane last wrote are parsed and moved
   * ({@link TickSteps#changedElsewhere}); the others are what the lane holds. The scheduler parsed every document
   * of every refresh on its own loop, one of the pool's loops the other components share: at 8.5 µs a document of
   * 1.4 KB (bench/README.md), ten thousand schedules held that loop about 85 ms once a minute and the hundred
   * thousand a scheduler takes most of a second, to find what the lanes mostly wrote themselves. A load under a new
   * epoch (a takeover, or leading again) takes every document as read, each lane parsing its own share.
   *
   * @param docs registry entry to its document's text, {@code null} for an entry whose document is gone (a
   *             schedule deleted between the reads of the registry and of the documents), which is left out
   */
  void load(long epoch, Map<String, String> docs, boolean takeover) {
    boolean refresh = epoch == loadedEpoch;
    if (!refresh) {
      queue.clear();
    }
    long now = clockMs.getAsLong();
    Set<String> present = new HashSet<>();
    docs.forEach((entry, raw) -> {
      if (raw == null) {
        return;
      }
      present.add(entry);
      if (refresh) {
        if (!steps.wrote(entry, raw)) {
          steps.changedElsewhere(entry, raw);
        }
        return;
      }
      ScheduleDocument doc = TickSteps.read(entry, raw);
      if (doc == null) {
        return;
      }
      queue.put(entry, doc.state().dueAt(now));
      if (takeover) {
        steps.republishInflight(entry, doc);
      }
    });
    // what is kept of schedules deleted since the last load goes with them
    queue.keepOnly(present);
    steps.keepOnly(present);
    loadedEpoch = epoch;
    lookSoon();
  }

  /**
   * A schedule of this lane's share changed through the API, to the document {@code raw}; {@code null} when it is
   * gone.
   */
  void changed(String entry, String raw) {
    if (raw == null) {
      queue.put(entry, null);
      steps.forget(entry);
    } else {
      steps.changedElsewhere(entry, raw);
    }
    lookSoon();
  }

  /** The process no longer leads (or found it was deposed): the lane holds nothing until it is loaded again. */
  void letGo() {
    queue.clear();
    steps.clear();
    loadedEpoch = 0;
    held = 0;
  }

  /**
   * Looks for due schedules now rather than at the end of the current wait, unless a step is going on (it looks
   * again when it ends): a load or a change may have made a schedule due sooner than the timer was set for.
   */
  private void lookSoon() {
    held = queue.size();
    if (!stepping && !stopped) {
      vertx.cancelTimer(timer);
      timer = vertx.setTimer(1, id -> look());
    }
  }

  /**
   * Steps what is due, then waits: until the earliest schedule is due, {@code pollMs} at most. A fixed period would
   * let a tick wait up to a whole period for the look that finds it: ticks of every second, due at whole seconds,
   * all waited as long as the period's phase happened to put them, the same in every second of a run.
   */
  private void look() {
    stepping = true;
    stepDue().onComplete(done -> {
      if (done.failed()) {
        LOG.warn("stepping due schedules failed: {}", FailureReason.of(done.cause()));
      }
      stepping = false;
      held = queue.size();
      if (!stopped) {
        long untilDue = queue.nextDueAtMs() - clockMs.getAsLong();
        timer = vertx.setTimer(Math.max(1, Math.min(options.pollMs(), untilDue)), id -> look());
      }
    });
  }

  private Future<Void> stepDue() {
    long epoch = leadingEpoch.getAsLong();
    if (epoch == 0 || epoch != loadedEpoch) {
      return Future.succeededFuture();
    }
    List<String> due = queue.takeDue(clockMs.getAsLong(), STEP_BATCH);
    return due.isEmpty() ? Future.succeededFuture() : steps.stepAll(due, epoch);
  }
}
