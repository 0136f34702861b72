package io.codesous.scheduler;

import io.codesous.store.ScheduleState.Fire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs given up as lost whose schedules have not recorded them yet. Recorded one write each, as a run that ends is,
 * they cost a saturated embedded server (ten thousand schedules a second, an invoker that runs a tenth of them)
 * 29 % of its event loops' CPU in a profile, as much as stepping the schedules: every lost run read, parsed, changed,
 * encoded and wrote its schedule's document once more. So a lost run waits here and rides with its schedule's next
 * step, which records it in the same write ({@link TickStep}); a schedule not stepped for a whole round of
 * {@link #ROUND_MS} gets a step for its lost runs alone, together with the others in batches. A run is recorded at
 * most two rounds after it was given up, or at its schedule's next tick when that comes first; meanwhile its tick
 * still reads {@code fired} and its marker stands, as before the write.
 *
 * <p>Recording is idempotent ({@link io.codesous.store.ScheduleState#lost} changes nothing the second time), so a
 * run that rides with a step while a round's step writes it too is counted once. Confined to the lane's event loop.
 */
final class LostRuns {

  /** How long a round lasts: a run given up in one round is stepped alone at the end of the next at the latest. */
  static final long ROUND_MS = 1_000;
  /**
   * Lost runs that may wait in all of a scheduler's lanes together; beyond its lane's part, a lost run is not
   * recorded (its marker expires on its own and its tick keeps reading {@code fired}), as when its write failed.
   */
  static final int WAITING_LIMIT = 100_000;

  private record Waiting(Fire fire, int round) {
  }

  private final Map<String, List<Waiting>> byEntry = new HashMap<>();
  private final int waitingLimit;
  private int size;
  private int round;

  /** @param waitingLimit how many lost runs may wait here, at most (a lane's share of {@link #WAITING_LIMIT}) */
  LostRuns(int waitingLimit) {
    this.waitingLimit = waitingLimit;
  }

  /** Keeps {@code fire} of {@code entry}'s schedule to be recorded lost; {@code false} when too many wait. */
  boolean add(String entry, Fire fire) {
    if (size >= waitingLimit) {
      return false;
    }
    byEntry.computeIfAbsent(entry, e -> new ArrayList<>(2)).add(new Waiting(fire, round));
    size++;
    return true;
  }

  /** The lost runs of {@code entry}'s schedule waiting now, oldest first. */
  List<Fire> of(String entry) {
    List<Waiting> waiting = byEntry.get(entry);
    if (waiting == null) {
      return List.of();
    }
    List<Fire> fires = new ArrayList<>(waiting.size());
    waiting.forEach(w -> fires.add(w.fire));
    return fires;
  }

  /** {@code fires} of {@code entry}'s schedule are recorded (or had nothing left to record): they wait no longer. */
  void recorded(String entry, List<Fire> fires) {
    if (fires.isEmpty()) {
      return;
    }
    List<Waiting> waiting = byEntry.get(entry);
    if (waiting == null) {
      return;
    }
    int before = waiting.size();
    waiting.removeIf(w -> fires.contains(w.fire));
    size -= before - waiting.size();
    if (waiting.isEmpty()) {
      byEntry.remove(entry);
    }
  }

  /**
   * Ends the current round: the schedules with a lost run waiting since before it began, to be stepped now. Runs
   * given up during the round that ends wait for the next one, which their schedules' own steps may take first.
   */
  List<String> endRound() {
    List<String> due = new ArrayList<>();
    byEntry.forEach((entry, waiting) -> {
      if (waiting.get(0).round < round) {
        due.add(entry);
      }
    });
    round++;
    return due;
  }

  /** Forgets the lost runs of {@code entry}'s schedule (it is gone). */
  void forget(String entry) {
    List<Waiting> gone = byEntry.remove(entry);
    if (gone != null) {
      size -= gone.size();
    }
  }

  /** Forgets the lost runs of every schedule but {@code entries}. */
  void keepOnly(Set<String> entries) {
    List<String> gone = new ArrayList<>();
    byEntry.keySet().forEach(entry -> {
      if (!entries.contains(entry)) {
        gone.add(entry);
      }
    });
    gone.forEach(this::forget);
  }

  /** Forgets every lost run (the scheduler let its schedules go; their markers expire on their own). */
  void clear() {
    byEntry.clear();
    size = 0;
  }

  int size() {
    return size;
  }
}
