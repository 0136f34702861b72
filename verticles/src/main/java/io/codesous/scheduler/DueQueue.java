package io.codesous.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The leader's schedules by when each next needs a step (its next tick, the expiry of an inflight marker, or now
 * for a manual trigger), earliest first. A poll takes only what is due, so its cost follows the ticks due rather
 * than the number of schedules. A schedule is in the queue at most once: moving it leaves its old entry behind,
 * and that entry is skipped when it surfaces (a lazy delete, cheaper than a search of the heap). Not thread-safe:
 * the scheduler's event loop owns it.
 */
final class DueQueue {

  private record Entry(long dueAtMs, String schedule) {
  }

  private final PriorityQueue<Entry> heap = new PriorityQueue<>((a, b) -> Long.compare(a.dueAtMs, b.dueAtMs));
  private final Map<String, Long> current = new HashMap<>();

  /** Sets when {@code schedule} next needs a step; {@code null} takes it out (paused, ended or deleted). */
  void put(String schedule, Long dueAtMs) {
    if (dueAtMs == null) {
      current.remove(schedule);
      return;
    }
    Long was = current.put(schedule, dueAtMs);
    if (was == null || was.longValue() != dueAtMs) {
      heap.add(new Entry(dueAtMs, schedule));
    }
    if (heap.size() > 2 * current.size() + 1024) {
      compact();
    }
  }

  /** Takes up to {@code limit} schedules due at {@code nowMs}, earliest first; they leave the queue. */
  List<String> takeDue(long nowMs, int limit) {
    List<String> due = new ArrayList<>();
    while (due.size() < limit && !heap.isEmpty() && heap.peek().dueAtMs <= nowMs) {
      Entry e = heap.poll();
      Long at = current.get(e.schedule);
      if (at != null && at == e.dueAtMs) {
        current.remove(e.schedule);
        due.add(e.schedule);
      }
    }
    return due;
  }

  /**
   * When the earliest schedule is due, {@link Long#MAX_VALUE} when none is; entries left behind by moves that it
   * meets at the head are dropped on the way.
   */
  long nextDueAtMs() {
    while (!heap.isEmpty()) {
      Entry head = heap.peek();
      Long at = current.get(head.schedule);
      if (at != null && at == head.dueAtMs) {
        return head.dueAtMs;
      }
      heap.poll();
    }
    return Long.MAX_VALUE;
  }

  int size() {
    return current.size();
  }

  /** Takes out every schedule but {@code schedules}. */
  void keepOnly(Set<String> schedules) {
    current.keySet().retainAll(schedules);
  }

  void clear() {
    heap.clear();
    current.clear();
  }

  /** Drops the entries left behind by moves, so many moves of few schedules cannot grow the heap without bound. */
  private void compact() {
    heap.clear();
    current.forEach((schedule, at) -> heap.add(new Entry(at, schedule)));
  }
}
