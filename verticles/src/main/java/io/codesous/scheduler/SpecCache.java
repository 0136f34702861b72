package io.codesous.scheduler;

import io.codesous.store.LiveState;
import io.codesous.store.ScheduleDocument;
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
 * compared member by member.
 *
 * <p>With the spec goes the principal its runs carry ({@link TickPublisher#servicePrincipal}): every write of a
 * document's principal (a put) draws a new tag, so a tagged spec's principal is built once, where building it for
 * each run was 4 % of the scheduler's event loops at ten thousand runs a second. An untagged document's is built
 * for each run. Confined to the scheduler's event loop.
 */
final class SpecCache {

  private static final class Parsed {
    private final Long tag;
    private final JsonObject json;
    private final ScheduleSpec spec;
    /** Built at the first run; only for a tagged spec. */
    private Runner runner;

    Parsed(Long tag, JsonObject json, ScheduleSpec spec) {
      this.tag = tag;
      this.json = json;
      this.spec = spec;
    }

    boolean holds(Long storedTag, JsonObject storedJson) {
      return storedTag != null ? storedTag.equals(tag) : tag == null && json.equals(storedJson);
    }
  }

  private final Map<String, Parsed> byEntry = new HashMap<>();

  /** The spec stored in {@code doc}, the document of the registry entry {@code entry}. */
  ScheduleSpec of(String entry, ScheduleDocument doc) {
    return of(entry, doc.specTag(), doc.spec());
  }

  private ScheduleSpec of(String entry, Long tag, JsonObject json) {
    Parsed known = byEntry.get(entry);
    if (known != null && known.holds(tag, json)) {
      return known.spec;
    }
    ScheduleSpec spec = ScheduleSpec.fromJson(json);
    byEntry.put(entry, new Parsed(tag, tag == null ? json.copy() : null, spec));
    return spec;
  }

  /** The principal the runs of {@code doc}, the document of {@code entry}, carry. */
  Runner runner(String entry, ScheduleDocument doc) {
    return runner(entry, doc.specTag(), doc.owner(), doc.principal());
  }

  private Runner runner(String entry, Long tag, LiveState.Owner owner, JsonObject writer) {
    Parsed known = tag == null ? null : byEntry.get(entry);
    if (known == null || !tag.equals(known.tag)) {
      return Runner.of(TickPublisher.servicePrincipal(owner, writer));
    }
    if (known.runner == null) {
      known.runner = Runner.of(TickPublisher.servicePrincipal(owner, writer));
    }
    return known.runner;
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
