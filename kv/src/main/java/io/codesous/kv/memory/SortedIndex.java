package io.codesous.kv.memory;

import io.codesous.kv.Utf8Order;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/** Members with scores, kept ordered by score then member. Not thread-safe. */
final class SortedIndex {

  private record Entry(long score, String member) {}

  private static final Comparator<Entry> BY_SCORE_THEN_MEMBER =
      Comparator.comparingLong(Entry::score).thenComparing(Entry::member);

  // The map finds a member's current score so its old entry can be taken out of the ordering.
  private final Map<String, Long> scoreByMember = new HashMap<>();
  private final NavigableSet<Entry> ordered = new TreeSet<>(BY_SCORE_THEN_MEMBER);

  void add(String member, long score) {
    Long previous = scoreByMember.put(member, score);
    if (previous != null) {
      ordered.remove(new Entry(previous, member));
    }
    ordered.add(new Entry(score, member));
  }

  boolean remove(String member) {
    Long previous = scoreByMember.remove(member);
    if (previous == null) {
      return false;
    }
    ordered.remove(new Entry(previous, member));
    return true;
  }

  /** Removes the members scored below {@code belowScore}, lowest first, at most {@code limit}; how many. */
  int trimBelow(long belowScore, int limit) {
    int removed = 0;
    Iterator<Entry> entries = ordered.iterator();
    while (removed < limit && entries.hasNext()) {
      Entry lowest = entries.next();
      if (lowest.score() >= belowScore) {
        break;
      }
      entries.remove();
      scoreByMember.remove(lowest.member());
      removed++;
    }
    return removed;
  }

  boolean isEmpty() {
    return scoreByMember.isEmpty();
  }

  /** Members starting with {@code prefix}, by UTF-8 byte order as Redis compares them. */
  List<String> withPrefix(String prefix, int limit) {
    return scoreByMember.keySet().stream()
        .filter(member -> member.startsWith(prefix))
        .sorted(Utf8Order.NAMES)
        .limit(Math.max(0, limit))
        .toList();
  }

  List<String> range(int limit, boolean descending) {
    List<String> members = new ArrayList<>(Math.max(0, Math.min(limit, ordered.size())));
    Iterator<Entry> entries = descending ? ordered.descendingIterator() : ordered.iterator();
    while (members.size() < limit && entries.hasNext()) {
      members.add(entries.next().member());
    }
    return members;
  }
}
