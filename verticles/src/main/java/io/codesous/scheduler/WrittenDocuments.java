package io.codesous.scheduler;

import io.codesous.store.ScheduleDocument;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The documents a lane last wrote, as written (the text its compare-and-set sent, and the state it holds as fields,
 * {@link ScheduleDocument}), which its next step on the same schedule starts from instead of reading and parsing the
 * document again. The leader is the only writer of a
 * schedule's document but for the control API, whose changes are announced (and make the lane forget what it
 * wrote) and, before the announcement comes, make the compare-and-set miss, after which the document is read again:
 * a remembered document that is no longer current costs a round trip, never a wrong step.
 *
 * <p>Why: at ten thousand schedules a second on Redis, reading each batch's documents before stepping it was a
 * round trip per batch and about 7 % of the lanes' event loops (the read, and the replies' bulk strings), and an
 * eighth of the KV's work; the step that follows a run's end read its document on its own as well.
 *
 * <p>Bounded by about the heap the documents hold ({@link ScheduleDocument#weight}), {@link #BYTES} for the
 * scheduler (a lane keeps its share): a document of a schedule every second is about 1-2 KB of text and holds about
 * three times that, so ten thousand fit with room. When full, it keeps
 * what it holds and takes nothing new, rather than evicting the least recent: the leader steps its schedules in a
 * cycle, and under a cycle longer than the bound, recency would have every schedule evicted just before its turn.
 * Confined to the lane's event loop.
 */
final class WrittenDocuments {

  /** What the documents kept across the scheduler's lanes may weigh ({@link ScheduleDocument#weight}), in bytes. */
  static final int BYTES = 64 * 1024 * 1024;
  /** What a kept document costs beyond its weight: the map's entry. */
  static final int ENTRY_OVERHEAD = 64;

  private final long limit;
  private final Map<String, ScheduleDocument> byEntry = new HashMap<>();
  private long bytes;

  WrittenDocuments(long limit) {
    this.limit = limit;
  }

  /** The document this lane last wrote for {@code entry}, or {@code null} when it keeps none. */
  ScheduleDocument of(String entry) {
    return byEntry.get(entry);
  }

  /** Keeps {@code written} as {@code entry}'s document, unless it does not fit the bound. */
  void wrote(String entry, ScheduleDocument written) {
    // one lookup for the usual case, a kept schedule written again (a profile put remove-then-put at 2 % of a
    // lane's event loop, most of it the map's cache misses)
    ScheduleDocument before = byEntry.put(entry, written);
    long freed = before == null ? 0 : cost(before);
    long cost = cost(written);
    if (bytes - freed + cost <= limit) {
      bytes += cost - freed;
    } else {
      byEntry.remove(entry);
      bytes -= freed;
    }
  }

  /** Forgets {@code entry}'s document: it changed elsewhere, or its schedule is gone. */
  void forget(String entry) {
    ScheduleDocument before = byEntry.remove(entry);
    if (before != null) {
      bytes -= cost(before);
    }
  }

  void keepOnly(Set<String> entries) {
    byEntry.entrySet().removeIf(kept -> {
      boolean gone = !entries.contains(kept.getKey());
      if (gone) {
        bytes -= cost(kept.getValue());
      }
      return gone;
    });
  }

  void clear() {
    byEntry.clear();
    bytes = 0;
  }

  int size() {
    return byEntry.size();
  }

  long bytes() {
    return bytes;
  }

  private static long cost(ScheduleDocument doc) {
    return doc.weight() + ENTRY_OVERHEAD;
  }
}
