package io.codesous.scheduler;

import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.message.InvocationResult;
import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleState;
import io.codesous.store.ScheduleState.Fire;
import io.codesous.store.ScheduleStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The leader's moves on single schedules: a step records a due schedule's ticks with one compare-and-set carrying
 * the leader's epoch and then publishes the runs that won; the end of a run clears its inflight marker and may
 * release a buffered tick. Confined to the scheduler's event loop.
 *
 * <p>A step completes once its runs are handed to the queue, not once the queue has acknowledged them: waiting for
 * a broker's acknowledgement before the next steps held every poll behind the slowest publish (on Kafka, ticks
 * of a thousand schedules a second were over a second late at p99). A publish's outcome is still logged and
 * measured when its acknowledgement comes; up to {@link #UNACKED_LIMIT} may wait for one, beyond that a step
 * waits for its own, so a broker that stops answering slows the scheduler instead of growing its memory.
 */
final class TickSteps {

  private static final Logger LOG = LoggerFactory.getLogger(TickSteps.class);
  /** Steps (each a compare-and-set, then its publishes) in flight at once. */
  static final int STEPS_IN_FLIGHT = 64;
  /** Published runs that may wait for the queue's acknowledgement while the scheduler goes on. */
  static final int UNACKED_LIMIT = 20_000;

  private final ScheduleStore schedules;
  private final DueQueue queue;
  private final SpecCache specs = new SpecCache();
  private final SchedulerOptions options;
  private final LongSupplier clockMs;
  private final LeaderElection election;
  private final SchedulerMeters meters;
  private final Runnable deposed;
  private final TickPublisher publisher;
  private int unacked;

  /** @param deposed what the scheduler does on finding a newer leader's epoch in a document */
  TickSteps(ScheduleStore schedules, DueQueue queue, TickPublisher publisher, SchedulerOptions options,
            LongSupplier clockMs, LeaderElection election, SchedulerMeters meters, Runnable deposed) {
    this.schedules = schedules;
    this.queue = queue;
    this.publisher = publisher;
    this.options = options;
    this.clockMs = clockMs;
    this.election = election;
    this.meters = meters;
    this.deposed = deposed;
  }

  /** Forgets every parsed spec (the leader let its schedules go). */
  void clear() {
    specs.clear();
  }

  /** Sets when {@code entry} next needs a step from its state; a schedule never due again leaves the queue. */
  void requeue(String entry, JsonObject state) {
    Long due = Scheduler.dueAt(state, clockMs.getAsLong());
    if (due == null) {
      specs.forget(entry);
    }
    queue.put(entry, due);
  }

  /**
   * Steps every schedule of {@code due} whose document is in {@code docs}, {@link #STEPS_IN_FLIGHT} at a time: a KV
   * client queues only so many commands (the Redis adapter's pool refuses beyond its waiting limit), so thousands
   * at once would fail. A window slides rather than goes batch by batch, so one slow step holds back no other.
   */
  Future<Void> stepAll(List<String> due, Map<String, String> docs, long now, long epoch) {
    Window window = new Window(due, docs, now, epoch);
    window.launch();
    return window.all.future();
  }

  /**
   * The steps of one poll. A step on the in-memory KV completes before it returns: those are taken in a loop, not
   * by recursion (ten thousand due schedules would overflow the stack), and after {@link #STEPS_IN_FLIGHT} of them
   * the rest goes on in a later turn of the event loop, so results and requests are served in between.
   */
  private final class Window {
    final Promise<Void> all = Promise.promise();
    final List<String> due;
    final Map<String, String> docs;
    final long now;
    final long epoch;
    int next;
    int running;

    Window(List<String> due, Map<String, String> docs, long now, long epoch) {
      this.due = due;
      this.docs = docs;
      this.now = now;
      this.epoch = epoch;
    }

    void launch() {
      int inline = 0;
      while (running < STEPS_IN_FLIGHT && next < due.size()) {
        String entry = due.get(next++);
        String raw = docs.get(ScheduleStore.keyOf(entry));
        if (raw == null) {
          continue;
        }
        Future<Void> step = step(entry, raw, now, epoch);
        if (!step.isComplete()) {
          running++;
          step.onComplete(done -> {
            running--;
            launch();
          });
        } else if (++inline >= STEPS_IN_FLIGHT && Vertx.currentContext() != null) {
          Vertx.currentContext().runOnContext(later -> launch());
          return;
        }
      }
      if (running == 0 && next >= due.size()) {
        all.tryComplete();
      }
    }
  }

  /**
   * The change works on the document it is given (a fresh parse on every attempt, so it may re-run) rather than a
   * copy: at ten thousand ticks a second, copying each document is a good part of the scheduler's CPU.
   */
  private Future<Void> step(String entry, String seen, long now, long epoch) {
    List<Fire> fires = new ArrayList<>();
    JsonObject[] before = new JsonObject[2];
    boolean[] newer = new boolean[1];
    ScheduleSpec[] spec = new ScheduleSpec[1];
    return schedules.changeFrom(entry, seen, current -> {
      fires.clear();
      before[0] = null;
      before[1] = current;
      newer[0] = current.getLong(ScheduleStore.LEADER_EPOCH, 0L) > epoch;
      Long due = Scheduler.dueAt(current.getJsonObject("state"), now);
      if (newer[0] || due == null || due > now) {
        return null;
      }
      before[0] = current.getJsonObject("state").getJsonObject("counters").copy();
      current.put(ScheduleStore.LEADER_EPOCH, epoch);
      spec[0] = specs.of(entry, current.getJsonObject("spec"));
      fires.addAll(ScheduleState.due(current, spec[0], now, options.onTimeMs(), options.markerMarginMs()));
      fires.addAll(ScheduleState.expired(current, now, options.markerMarginMs()));
      return current;
    }).compose(stored -> {
      if (newer[0]) {
        LOG.warn("schedule {} was written by a newer leader; this scheduler (epoch {}) stands down", entry, epoch);
        deposed.run();
        // its lease is someone else's by now: the election learns so at once rather than when its lease runs out
        return election.resign();
      }
      JsonObject doc = stored == null ? before[1] : stored;
      requeue(entry, doc.getJsonObject("state"));
      return stored == null ? Future.succeededFuture() : afterChange(entry, stored, spec[0], before[0], fires);
    }, failure -> {
      LOG.warn("schedule {} step failed: {}", entry, failure.getMessage());
      if (!(failure instanceof CsException cs && cs.code() == ErrorCode.CS_NOT_FOUND)) {
        queue.put(entry, clockMs.getAsLong() + options.pollMs());
      }
      return Future.succeededFuture();
    });
  }

  /** Publishes the runs a stored change decided; waits for their acknowledgements only past the limit. */
  private Future<Void> afterChange(String entry, JsonObject stored, ScheduleSpec spec, JsonObject countersBefore,
                                   List<Fire> fires) {
    meters.countNewTicks(countersBefore, stored.getJsonObject("state").getJsonObject("counters"));
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

  private Future<Void> publish(String entry, JsonObject doc, ScheduleSpec spec, Fire fire) {
    unacked++;
    return publisher.publish(doc, spec, fire, result -> ended(entry, fire.activationId(), result))
        .onComplete(done -> unacked--)
        .onFailure(failure -> LOG.warn("schedule {} tick {} (activation {}) was not published: {}", entry,
            fire.scheduledAtMs(), fire.activationId(), failure.getMessage()));
  }

  /**
   * A new leader publishes again the runs its predecessor recorded as inflight: a predecessor that died between
   * recording a tick and publishing it would otherwise lose that tick. The activation id is the tick's, so a run
   * that was published already is not run twice.
   */
  void republishInflight(String entry, JsonObject doc) {
    JsonObject state = doc.getJsonObject("state");
    if (ScheduleState.inflight(state).isEmpty()) {
      return;
    }
    ScheduleSpec spec = specs.of(entry, doc.getJsonObject("spec"));
    for (Object t : state.getJsonArray("ticks")) {
      JsonObject tick = (JsonObject) t;
      String id = tick.getString("activation_id");
      if (id != null && ScheduleState.isInflight(state, id)) {
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
    long epoch = election.epoch();
    List<Fire> fires = new ArrayList<>();
    JsonObject[] before = new JsonObject[1];
    ScheduleSpec[] spec = new ScheduleSpec[1];
    String[] parts = entry.split(":", 3);
    schedules.change(parts[0], parts[1], parts[2], false, current -> {
      fires.clear();
      if (!ScheduleState.isInflight(current.getJsonObject("state"), activationId)
          || epoch == 0 || current.getLong(ScheduleStore.LEADER_EPOCH, 0L) > epoch) {
        return null;
      }
      before[0] = current.getJsonObject("state").getJsonObject("counters").copy();
      current.put(ScheduleStore.LEADER_EPOCH, epoch);
      spec[0] = specs.of(entry, current.getJsonObject("spec"));
      fires.addAll(ScheduleState.ended(current, spec[0], activationId, now, options.markerMarginMs()));
      return current;
    }).compose(stored -> {
      if (stored == null) {
        return Future.succeededFuture();
      }
      requeue(entry, stored.getJsonObject("state"));
      return afterChange(entry, stored, spec[0], before[0], fires);
    }).onFailure(failure -> LOG.warn("clearing run {} of schedule {} failed: {}", activationId, entry,
        failure.getMessage()));
  }
}
