package io.codesous.scheduler;

import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.message.InvocationResult;
import io.codesous.store.LiveState;
import io.codesous.store.ScheduleDocument;
import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleState;
import io.codesous.store.ScheduleState.Fire;
import io.codesous.store.ScheduleStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The leader's moves on single schedules: a step records a due schedule's ticks with one compare-and-set carrying
 * the leader's epoch and then publishes the runs that won; the end of a run clears its inflight marker and may
 * release a buffered tick, and so does a run the queue refused to the end, recorded as lost with its schedule's next
 * step ({@link LostRuns}). Confined to the scheduler's event loop.
 *
 * <p>A step completes once its runs are handed to the queue, not once the queue has acknowledged them: waiting for
 * a broker's acknowledgement before the next steps held every poll behind the slowest publish (on Kafka, ticks
 * of a thousand schedules a second were over a second late at p99). A publish's outcome is still logged and
 * measured when its acknowledgement comes; up to {@link #UNACKED_LIMIT} may wait for one, beyond that a step
 * waits for its own, so a broker that stops answering slows the scheduler instead of growing its memory.
 */
final class TickSteps {

  private static final Logger LOG = LoggerFactory.getLogger(TickSteps.class);
  /**
   * Schedules stepped with one read and one write. With 64 at a time and 4 batches in flight, each lane's batches
   * spent ~25 ms between read and written at ten thousand schedules a second, and a lane stepped at most
   * 4 x 64 schedules per such round trip: the last ticks of a second waited ~500 ms (p99 525-700 ms over runs);
   * with 128 and 8, fewer round trips carry the same ticks and p99 was 463-489 ms. Larger batches did not do better
   * on two cores, and each is one script that holds the KV's server for its whole length.
   */
  static final int BATCH = 128;
  /** Batches whose write has not answered yet, at most, in each lane. */
  static final int BATCHES_IN_FLIGHT = 8;
  /** Published runs that may wait for the queue's acknowledgement while the scheduler goes on. */
  static final int UNACKED_LIMIT = 20_000;

  private final Vertx vertx;
  private final ScheduleStore schedules;
  private final DueQueue queue;
  private final SpecCache specs = new SpecCache();
  private final SchedulerOptions options;
  private final LongSupplier clockMs;
  private final LongSupplier leadingEpoch;
  private final SchedulerMeters meters;
  private final Runnable deposed;
  private final TickPublisher publisher;
  private final RefusalLog refusedLog;
  private final RefusalLog lostLog;
  private final RefusedRuns refused;
  private final LostRuns lost;
  private final WrittenDocuments written;
  private int unacked;
  /** The timer that ends {@link #lost}'s rounds, while runs wait there. */
  private long lostRound = -1;

  /**
   * @param leadingEpoch the epoch the scheduler leads with now (0 when it does not lead)
   * @param deposed      what the scheduler does on finding a newer leader's epoch in a document
   */
  TickSteps(Vertx vertx, ScheduleStore schedules, DueQueue queue, TickPublisher publisher, SchedulerOptions options,
            LongSupplier clockMs, LongSupplier leadingEpoch, SchedulerMeters meters, Runnable deposed) {
    this.vertx = vertx;
    this.schedules = schedules;
    this.queue = queue;
    this.publisher = publisher;
    this.options = options;
    this.clockMs = clockMs;
    this.leadingEpoch = leadingEpoch;
    this.meters = meters;
    this.deposed = deposed;
    this.refusedLog = new RefusalLog(LOG, clockMs,
        "were refused by the queue and are tried again while their markers live");
    this.lostLog = new RefusalLog(LOG, clockMs, "could not be published before their markers "
        + "expired, or were refused beyond the runs that may wait, and are lost");
    this.refused = new RefusedRuns(vertx, clockMs, leadingEpoch, options.laneShare(RefusedRuns.WAITING_LIMIT),
        new Republishing());
    this.lost = new LostRuns(options.laneShare(LostRuns.WAITING_LIMIT));
    this.written = new WrittenDocuments(options.laneShare(WrittenDocuments.BYTES));
  }

  /** How the refused runs of this lane are published again and given up. */
  private final class Republishing implements RefusedRuns.Publishing {

    @Override
    public Future<Void> attempt(RefusedRuns.Run run) {
      return TickSteps.this.attempt(run.entry(), run.owner(), run.spec(), run.runner(), run.fire())
          .onSuccess(v -> meters.published(run.fire(), clockMs.getAsLong()))
          .onFailure(failure -> {
            meters.publishRefused();
            LOG.debug("schedule {} tick {} (activation {}) was refused again: {}", run.entry(),
                run.fire().scheduledAtMs(), run.fire().activationId(), failure.getMessage());
          });
    }

    @Override
    public void lost(RefusedRuns.Run run, String why) {
      meters.runLost();
      lostLog.count(run.entry(), run.fire().scheduledAtMs(), run.fire().activationId(), why);
      if (!lost.add(run.entry(), run.fire())) {
        LOG.debug("schedule {} tick {} (activation {}) is lost and not recorded: {} lost runs wait", run.entry(),
            run.fire().scheduledAtMs(), run.fire().activationId(), lost.size());
      } else {
        startLostRound();
      }
    }
  }

  /** Starts a round of {@link #lost} unless one is going on. */
  private void startLostRound() {
    if (lostRound < 0) {
      lostRound = vertx.setTimer(LostRuns.ROUND_MS, id -> endLostRound());
    }
  }

  /**
   * Steps the schedules whose lost runs waited a whole round without a step of their own taking them, and starts
   * the next round while any wait.
   */
  private void endLostRound() {
    lostRound = -1;
    long epoch = leadingEpoch.getAsLong();
    if (epoch == 0) {
      lost.clear();
      return;
    }
    List<String> entries = lost.endRound();
    Future<Void> stepped = entries.isEmpty() ? Future.succeededFuture() : stepAll(entries, epoch);
    stepped.onComplete(done -> {
      if (lost.size() > 0) {
        startLostRound();
      }
    });
  }

  /** Forgets every parsed spec, refused run and lost run (the leader let its schedules go). */
  void clear() {
    specs.clear();
    refused.clear();
    lost.clear();
    written.clear();
    if (lostRound >= 0) {
      vertx.cancelTimer(lostRound);
      lostRound = -1;
    }
  }

  /** Forgets the parsed spec, the lost runs and the written document of {@code entry} (its schedule is gone). */
  void forget(String entry) {
    specs.forget(entry);
    lost.forget(entry);
    written.forget(entry);
  }

  /** Whether {@code raw} is the document this lane last wrote for {@code entry}. */
  boolean wrote(String entry, String raw) {
    ScheduleDocument kept = written.of(entry);
    return kept != null && raw.equals(kept.text());
  }

  /**
   * {@code entry}'s document was changed elsewhere (through the API, or a write nobody announced), to the text
   * {@code raw}: what this lane wrote is no longer it, and the schedule is due when its new state says.
   */
  void changedElsewhere(String entry, String raw) {
    written.forget(entry);
    ScheduleDocument doc = read(entry, raw);
    if (doc == null) {
      queue.put(entry, null);
      return;
    }
    requeue(entry, doc.state());
  }

  /**
   * Forgets the parsed specs, lost runs and written documents of every schedule but {@code entries} (a load found the
   * others gone).
   */
  void keepOnly(Set<String> entries) {
    specs.keepOnly(entries);
    lost.keepOnly(entries);
    written.keepOnly(entries);
  }

  /** Sets when {@code entry} next needs a step from its state; a schedule never due again leaves the queue. */
  void requeue(String entry, LiveState state) {
    Long due = state.dueAt(clockMs.getAsLong());
    if (due == null) {
      specs.forget(entry);
    }
    queue.put(entry, due);
  }

  /**
   * Steps every schedule of {@code due} (a tick due, or a lost run to record) in batches of {@link #BATCH}: one
   * write of their new states ({@link ScheduleStore#changeEach}), {@link #BATCHES_IN_FLIGHT} batches at a time,
   * each from the document this lane last wrote ({@link WrittenDocuments}) or, for those it keeps none of, one read
   * of the batch's others.
   * Stepped one by one, each schedule cost a compare-and-set round trip of its own; at ten thousand due at one
   * second, on Redis, those round trips were most of a tick's lag. A batch's ticks are recorded as fired once its
   * documents are at hand, not when the poll began, so the lag they show includes the wait for earlier batches.
   */
  Future<Void> stepAll(List<String> due, long epoch) {
    return BatchWindow.run(due, BATCH, BATCHES_IN_FLIGHT, batch -> stepBatch(batch, epoch));
  }

  private Future<Void> stepBatch(List<String> entries, long epoch) {
    List<ScheduleDocument> kept = new ArrayList<>(entries.size());
    List<String> unknown = new ArrayList<>();
    for (String entry : entries) {
      ScheduleDocument doc = written.of(entry);
      kept.add(doc);
      if (doc == null) {
        unknown.add(entry);
      }
    }
    Future<Map<String, String>> read = unknown.isEmpty() ? Future.succeededFuture(Map.of())
        : schedules.documents(unknown);
    return read.compose(docs -> {
      long now = clockMs.getAsLong();
      List<TickStep> steps = new ArrayList<>(entries.size());
      List<ScheduleStore.Change> changes = new ArrayList<>(entries.size());
      for (int i = 0; i < entries.size(); i++) {
        String entry = entries.get(i);
        ScheduleDocument doc = kept.get(i) != null ? kept.get(i)
            : read(entry, docs.get(ScheduleStore.keyOf(entry)));
        if (doc != null) {
          TickStep step = new TickStep(entry, now, epoch, lost.of(entry), specs, options);
          steps.add(step);
          changes.add(new ScheduleStore.Change(entry, doc, step::apply));
        } else {
          // deleted: nothing of it is left to record
          lost.forget(entry);
        }
      }
      List<Future<ScheduleDocument>> stored = schedules.changeEach(changes);
      List<Future<Void>> done = new ArrayList<>(steps.size());
      for (int i = 0; i < steps.size(); i++) {
        done.add(afterStep(steps.get(i), stored.get(i)));
      }
      return Future.join(done).<Void>mapEmpty();
    }, unreachable -> {
      // the batch read failed: the schedules stay due for the next poll
      long now = clockMs.getAsLong();
      entries.forEach(entry -> queue.put(entry, now));
      LOG.warn("reading {} due schedules failed: {}", unknown.size(), FailureReason.of(unreachable));
      return Future.succeededFuture();
    });
  }

  /** The document {@code raw} of {@code entry}, or {@code null} when it is gone or cannot be read (logged). */
  static ScheduleDocument read(String entry, String raw) {
    if (raw == null) {
      return null;
    }
    try {
      return ScheduleDocument.parse(raw);
    } catch (RuntimeException unreadable) {
      LOG.warn("schedule {} has a document that cannot be read; it is not stepped: {}", entry,
          FailureReason.of(unreadable));
      return null;
    }
  }

  private Future<Void> afterStep(TickStep step, Future<ScheduleDocument> write) {
    String entry = step.entry();
    return write.compose(stored -> {
      if (stored != null) {
        written.wrote(entry, stored);
      }
      if (step.newerLeader()) {
        LOG.warn("schedule {} was written by a newer leader; this scheduler (epoch {}) stands down", entry,
            step.epoch());
        deposed.run();
        return Future.succeededFuture();
      }
      // written with the step, or found recorded already
      lost.recorded(entry, step.lost());
      ScheduleDocument doc = stored == null ? step.seen() : stored;
      requeue(entry, doc.state());
      return stored == null ? Future.succeededFuture()
          : afterChange(entry, stored, step.spec(), step.countersBefore(), step.fires());
    }, failure -> {
      written.forget(entry);
      LOG.warn("schedule {} step failed: {}", entry, FailureReason.of(failure));
      if (failure instanceof CsException cs && cs.code() == ErrorCode.CS_NOT_FOUND) {
        lost.forget(entry);
      } else {
        queue.put(entry, clockMs.getAsLong() + options.pollMs());
      }
      return Future.succeededFuture();
    });
  }

  /** Publishes the runs a stored change decided; waits for their acknowledgements only past the limit. */
  private Future<Void> afterChange(String entry, ScheduleDocument stored, ScheduleSpec spec,
                                   LiveState.Counters countersBefore, List<Fire> fires) {
    meters.countNewTicks(countersBefore, stored.state().counters());
    if (fires.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<Void>> published = new ArrayList<>(fires.size());
    for (Fire fire : fires) {
      published.add(publish(entry, stored, spec, fire).onSuccess(v -> meters.published(fire, clockMs.getAsLong())));
    }
    Future<Void> acked = Future.join(published).mapEmpty();
    return unacked > UNACKED_LIMIT ? acked.recover(failed -> Future.succeededFuture()) : Future.succeededFuture();
  }

  /**
   * Publishes a run; one the queue refuses waits with the other refused runs for the queue to take it
   * ({@link RefusedRuns}) while its inflight marker lives. The activation id is the tick's, so a publish that
   * reached the queue before its refusal came back does not run twice.
   */
  private Future<Void> publish(String entry, ScheduleDocument doc, ScheduleSpec spec, Fire fire) {
    Runner runner = specs.runner(entry, doc);
    return attempt(entry, doc.owner(), spec, runner, fire).onFailure(failure -> {
      refusedLog.count(entry, fire.scheduledAtMs(), fire.activationId(), FailureReason.of(failure));
      meters.publishRefused();
      refused.add(new RefusedRuns.Run(entry, doc.owner(), spec, runner, fire,
          fire.firedAtMs() + doc.markerMs(options.markerMarginMs())));
    });
  }

  /** One publish of a run, counted among the unacknowledged until the queue answers. */
  private Future<Void> attempt(String entry, LiveState.Owner owner, ScheduleSpec spec, Runner runner, Fire fire) {
    unacked++;
    return publisher.publish(owner, spec, runner, fire, result -> ended(entry, fire.activationId(), result))
        .onComplete(done -> unacked--);
  }

  /**
   * A new leader publishes again the runs its predecessor recorded as inflight: a predecessor that died between
   * recording a tick and publishing it would otherwise lose that tick. The activation id is the tick's, so a run
   * that was published already is not run twice. A run whose marker has expired is not published again: its
   * timeout and margin have passed, and a tick that late is not the one its schedule asked for.
   */
  void republishInflight(String entry, ScheduleDocument doc) {
    LiveState state = doc.state();
    if (state.inflight().isEmpty()) {
      return;
    }
    long now = clockMs.getAsLong();
    ScheduleSpec spec = specs.of(entry, doc);
    for (JsonObject tick : ScheduleState.ticks(doc.toJson())) {
      String id = tick.getString("activation_id");
      if (id != null && state.isInflight(id, now)) {
        publish(entry, doc, spec, new Fire(id, tick.getLong("scheduled_at_ms"), tick.getLong("fired_at_ms"),
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
    move(entry, "clearing run", activationId, current -> current.state().isInflight(activationId, now)
        ? current.state().ended(current.owner(), activationId, now, current.markerMs(options.markerMarginMs()))
        : null);
  }

  /** A move of one schedule's state outside a step: the runs it releases, or {@code null} when it changes nothing. */
  private interface StateMove {
    List<Fire> apply(ScheduleDocument current);
  }

  /**
   * Applies {@code move} to {@code entry}'s document with a compare-and-set under this scheduler's epoch (nothing
   * when it no longer leads or a newer leader wrote the document), then publishes the runs it released.
   */
  private void move(String entry, String what, String activationId, StateMove move) {
    long epoch = leadingEpoch.getAsLong();
    List<Fire> fires = new ArrayList<>();
    LiveState.Counters[] before = new LiveState.Counters[1];
    ScheduleSpec[] spec = new ScheduleSpec[1];
    Predicate<ScheduleDocument> change = current -> {
      fires.clear();
      if (epoch == 0 || current.leaderEpoch() > epoch) {
        return false;
      }
      LiveState.Counters counters = current.state().counters();
      List<Fire> released = move.apply(current);
      if (released == null) {
        return false;
      }
      before[0] = counters;
      spec[0] = specs.of(entry, current);
      current.leaderEpoch(epoch);
      fires.addAll(released);
      return true;
    };
    ScheduleDocument seen = written.of(entry);
    // a move that finds nothing to do in the document this lane wrote last is tried on the stored one: the
    // compare-and-set would catch a stale document that needs a change, not one that seems to need none
    Future<ScheduleDocument> stored = seen == null ? schedules.readAndChange(entry, change)
        : schedules.changeEach(List.of(new ScheduleStore.Change(entry, seen, change))).get(0).compose(outcome ->
            outcome != null ? Future.succeededFuture(outcome) : schedules.readAndChange(entry, change));
    stored.compose(outcome -> {
      if (outcome == null) {
        return Future.succeededFuture();
      }
      written.wrote(entry, outcome);
      requeue(entry, outcome.state());
      return afterChange(entry, outcome, spec[0], before[0], fires);
    }).onFailure(failure -> {
      written.forget(entry);
      LOG.warn("{} {} of schedule {} failed: {}", what, activationId, entry, FailureReason.of(failure));
    });
  }
}
