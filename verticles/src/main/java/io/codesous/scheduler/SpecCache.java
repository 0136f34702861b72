package io.codesous.scheduler;

import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleStore;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The parsed spec of each schedule the leader steps, kept while the stored spec stays the same. Parsing a spec
 * validates every member again (durations, zone, cron); at ten thousand ticks a second that was a visible part of
 * the scheduler's CPU. The stored spec is known by its {@link ScheduleStore#SPEC_TAG}: comparing the whole spec with
 * the one parsed last was still 9 % of the scheduler's event loop. A document written before specs had a tag is
 * compared member by member. Confined to the scheduler's event loop.
 */
final class SpecCache {

  private record Parsed(Long tag, JsonObject json, ScheduleSpec spec) {

    boolean holds(Long storedTag, JsonObject storedJson) {
      return storedTag != null ? storedTag.equals(tag) : tag == null && json.equals(storedJson);
    }
  }

  private final Map<String, Parsed> byEntry = new HashMap<>();

  /** The spec stored in {@code doc}, the document of the registry entry {@code entry}. */
  ScheduleSpec of(String entry, JsonObject doc) {
    Long tag = doc.getLong(ScheduleStore.SPEC_TAG);
    JsonObject json = doc.getJsonObject("spec");
    Parsed known = byEntry.get(entry);
    if (known != null && known.holds(tag, json)) {
      return known.spec;
    }
    ScheduleSpec spec = ScheduleSpec.fromJson(json);
    byEntry.put(entry, new Parsed(tag, tag == null ? json.copy() : null, spec));
    return spec;
  }

  void forget(String entry) {
    byEntry.remove(entry);
  }

  void keepOnly(Set<String> entries) {
    byEntry.keySet().retainAll(entries);
  }

  void clear() {
    byEntry.clear();
  }

  int size() {
    return byEntry.size();
  }
}
