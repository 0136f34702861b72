package io.codesous.scheduler;

import io.codesous.store.LiveState;
import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleState.Fire;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Runs the queue refused, waiting in the order it refused them until it takes them again. Their ticks are recorded
 * as fired, so dropping one would lose the run with a log line the only trace: each is published again while its
 * inflight marker lives and this scheduler leads, and then given up as lost ({@link Publishing#lost}). A scheduler
 * that no longer leads leaves them to the next leader, whose takeover publishes live markers again.
 *
 * <p>One retry probes the queue for all of them: the head is published alone, and only once the queue took it do
 * the next ones follow, twice as many each time up to {@link #BATCH}; a refusal pauses every waiting run, each pause twice the last up to
 * {@link #MOST_PAUSE_MS}. Retried each on a timer of its own, as before, the runs a full in-JVM queue refused at ten
 * thousand schedules a second were each tried about four times before their markers ran out, and those attempts,
 * every one building its request and failing, took more of the scheduler's event loops than stepping the schedules
 * did (a profile of {@code bench/run.sh --schedules 10000 --shapes embedded}). A queue refuses because it is full or
 * out of reach, which holds for every run at once, so probing with one loses nothing.
 *
 * <p>Confined to the lane's event loop.
 */
final class RefusedRuns {

  private static final Logger LOG = LoggerFactory.getLogger(RefusedRuns.class);
  /** The pause after the first refusal. */
  static final long FIRST_PAUSE_MS = 100;
  /** The longest pause: one probe a second costs nothing, and a longer pause would only lose runs that could run. */
  static final long MOST_PAUSE_MS = 1_000;
  /**
   * Runs that may wait in all of a scheduler's lanes together, at most; beyond its lane's part of it a refused run
   * is given up at once. Each holds what its publish needs (whose schedule it is, the parsed spec, the principal it
   * runs as) and nothing of the schedule's state, and a queue refusing ten thousand runs a second for the ~35 s a
   * marker lives would otherwise hold hundreds of thousands of them.
   */
  static final int WAITING_LIMIT = 10_000;
  /** Why a run whose marker expires before the next try is given up. */
  private static final String EXPIRES_FIRST = "its marker expires before the queue is tried again";
  /** Runs published together at most, once the queue takes them again. */
  static final int BATCH = 256;

  /** A refused run and when its inflight marker expires. */
  record Run(String entry, LiveState.Owner owner, ScheduleSpec spec, Runner runner, Fire fire,
             long markerExpiresAtMs) {
  }

  /** What the scheduler does with a waiting run. */
  interface Publishing {

    /** Publishes {@code run} once; the future fails when the queue refused it. */
    Future<Void> attempt(Run run);

    /** Gives {@code run} up: it cannot be published before its marker expires, or too many wait; {@code why} says. */
    void lost(Run run, String why);
  }

  private final Vertx vertx;
  private final LongSupplier clockMs;
  private final LongSupplier leadingEpoch;
  private final Publishing publishing;
  private final int waitingLimit;
  private final ArrayDeque<Run> waiting = new ArrayDeque<>();
  private long pauseMs = FIRST_PAUSE_MS;
  private long timer = -1;
  /** When the next retry is due; meaningful while {@link #timer} is set. */
  private long nextRetryAtMs;
  private boolean retrying;
  /** Counts {@link #clear}s: a retry that was under way when the runs were let go leaves them let go. */
  private int generation;

  /** @param waitingLimit how many runs may wait here, at most (a lane's share of {@link #WAITING_LIMIT}) */
  RefusedRuns(Vertx vertx, LongSupplier clockMs, LongSupplier leadingEpoch, int waitingLimit, Publishing publishing) {
    this.vertx = vertx;
    this.waitingLimit = waitingLimit;
    this.clockMs = clockMs;
    this.leadingEpoch = leadingEpoch;
    this.publishing = publishing;
  }

  /** Runs waiting now. */
  int size() {
    return waiting.size();
  }

  /** A run the queue just refused: it waits for the next retry, unless it cannot live that long or too many wait. */
  void add(Run run) {
    if (leadingEpoch.getAsLong() == 0) {
      LOG.debug("schedule {} tick {} (activation {}) was refused; left to the next leader", run.entry(),
          run.fire().scheduledAtMs(), run.fire().activationId());
      return;
    }
    long retryAt = timer >= 0 ? nextRetryAtMs : clockMs.getAsLong() + pauseMs;
    if (retryAt >= run.markerExpiresAtMs()) {
      publishing.lost(run, EXPIRES_FIRST);
      return;
    }
    if (waiting.size() >= waitingLimit) {
      publishing.lost(run, waiting.size() + " refused runs wait");
      return;
    }
    waiting.addLast(run);
    if (timer < 0 && !retrying) {
      retryIn(pauseMs);
    }
  }

  /** Forgets every waiting run (the scheduler let its schedules go; the next leader publishes them again). */
  void clear() {
    generation++;
    retrying = false;
    waiting.clear();
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    pauseMs = FIRST_PAUSE_MS;
  }

  private void retryIn(long ms) {
    nextRetryAtMs = clockMs.getAsLong() + ms;
    timer = vertx.setTimer(Math.max(1, ms), id -> retry());
  }

  private void retry() {
    timer = -1;
    if (leadingEpoch.getAsLong() == 0) {
      LOG.debug("{} refused runs left to the next leader", waiting.size());
      clear();
      return;
    }
    loseExpiring(clockMs.getAsLong());
    if (waiting.isEmpty()) {
      pauseMs = FIRST_PAUSE_MS;
      return;
    }
    retrying = true;
    send(1, generation);
  }

  /**
   * Publishes the next {@code size} waiting runs together; when the queue took them all, twice as many follow (up to
   * {@link #BATCH}), so a queue with room for a few wastes at most as many attempts as it took.
   */
  private void send(int size, int current) {
    List<Run> batch = new ArrayList<>(Math.min(size, waiting.size()));
    while (batch.size() < size && !waiting.isEmpty()) {
      batch.add(waiting.pollFirst());
    }
    List<Future<Void>> attempts = new ArrayList<>(batch.size());
    batch.forEach(run -> attempts.add(publishing.attempt(run)));
    Future.join(attempts).onComplete(all -> {
      if (current != generation) {
        return;
      }
      boolean refused = false;
      for (int i = attempts.size() - 1; i >= 0; i--) {
        if (attempts.get(i).failed()) {
          // back to the front, in their order
          waiting.addFirst(batch.get(i));
          refused = true;
        }
      }
      if (refused) {
        pause();
      } else if (waiting.isEmpty()) {
        retrying = false;
        pauseMs = FIRST_PAUSE_MS;
      } else {
        // a later turn of the event loop: an in-JVM queue answers at once, and what waits here must not starve it
        vertx.runOnContext(next -> {
          if (current == generation) {
            send(Math.min(BATCH, 2 * size), current);
          }
        });
      }
    });
  }

  /** The queue refused again: every waiting run pauses, and those whose markers expire meanwhile are given up. */
  private void pause() {
    retrying = false;
    pauseMs = Math.min(MOST_PAUSE_MS, 2 * pauseMs);
    loseExpiring(clockMs.getAsLong() + pauseMs);
    if (!waiting.isEmpty()) {
      retryIn(pauseMs);
    }
  }

  private void loseExpiring(long retryAtMs) {
    for (Iterator<Run> runs = waiting.iterator(); runs.hasNext(); ) {
      Run run = runs.next();
      if (retryAtMs >= run.markerExpiresAtMs()) {
        runs.remove();
        publishing.lost(run, EXPIRES_FIRST);
      }
    }
  }
}
