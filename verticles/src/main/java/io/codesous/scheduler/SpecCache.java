package io.codesous.scheduler;

import io.codesous.store.ScheduleSpec;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * The parsed spec of each schedule the leader steps, kept while the stored spec stays the same. Parsing a spec
 * validates every member again (durations, zone, cron); at ten thousand ticks a second that was a visible part of
 * the scheduler's CPU, while comparing the stored spec with the one parsed last is a few map lookups. Confined to
 * the scheduler's event loop.
 */
final class SpecCache {

  private record Parsed(JsonObject json, ScheduleSpec spec) {
  }

  private final Map<String, Parsed> byEntry = new HashMap<>();

  /** The spec stored as {@code json} for the registry entry {@code entry}. */
  ScheduleSpec of(String entry, JsonObject json) {
    Parsed known = byEntry.get(entry);
    if (known != null && known.json.equals(json)) {
      return known.spec;
    }
    ScheduleSpec spec = ScheduleSpec.fromJson(json);
    byEntry.put(entry, new Parsed(json.copy(), spec));
    return spec;
  }

  void forget(String entry) {
    byEntry.remove(entry);
  }

  void clear() {
    byEntry.clear();
  }

  int size() {
    return byEntry.size();
  }
}
