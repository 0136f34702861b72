package io.codesous.store;

import io.codesous.kv.KvStore;
import io.codesous.kv.KvSwap;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.kv.KvKeys;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Schedules over the KV port. One document per schedule ({@link KvKeys#schedule}) holds the validated spec, the
 * principal whose rights its runs carry, and the live state; every change is a compare-and-set on that document, so
 * the control API and any number of schedulers never lose each other's writes and a tick is recorded (and fired)
 * by exactly one of them. Failed futures carry a {@link CsException}.
 */
public class ScheduleStore {

  /**
   * The epoch of the last leader that wrote a document's state: a scheduler holding a lower one has been deposed
   * and writes nothing (see {@code Scheduler}).
   */
  public static final String LEADER_EPOCH = "leader_epoch";
  /**
   * A value drawn anew each time a document's spec is written ({@link #withSpec}), so a scheduler tells a spec it
   * parsed already by one number rather than by comparing the whole spec; drawn rather than counted, because a
   * schedule deleted and created again starts a new document.
   */
  public static final String SPEC_TAG = "spec_tag";

  /** How often a compare-and-set is retried against concurrent writers before the caller is told to retry. */
  static final int CAS_ATTEMPTS = 16;
  /** Announcements removed at once by {@link #takeChanges}. */
  static final int REMOVALS_IN_FLIGHT = 64;

  private final KvStore kv;
  private final LongSupplier clockMs;

  public ScheduleStore(KvStore kv, LongSupplier clockMs) {
    this.kv = CatalogKvStore.of(kv);
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
  }

  /**
   * Creates or replaces a schedule. A replace keeps the counters, inflight runs and recent ticks, and recomputes the
   * next tick from now: a changed timing never fires the ticks it skipped over.
   */
  public Future<JsonObject> put(String tenant, String namespace, String name, ScheduleSpec spec, JsonObject principal,
                                long timeoutMs) {
    long now = clockMs.getAsLong();
    return change(tenant, namespace, name, true, existing -> {
      JsonObject state = existing == null ? ScheduleState.empty() : existing.getJsonObject("state");
      ScheduleState.schedule(state, spec, now);
      return withSpec(new JsonObject().put("tenant", tenant).put("namespace", namespace).put("name", name), spec)
          .put("principal", principal).put("timeout_ms", timeoutMs)
          .put("created_at_ms", existing == null ? now : existing.getLong("created_at_ms"))
          .put("updated_at_ms", now).put("state", state)
          .put(LEADER_EPOCH, existing == null ? 0L : existing.getLong(LEADER_EPOCH, 0L));
    }).compose(doc -> kv.indexAdd(KvKeys.scheduleIndex(tenant, namespace), name, 0)
        .compose(v -> kv.indexAdd(KvKeys.scheduleRegistry(), entry(tenant, namespace, name), 0))
        .compose(v -> announce(tenant, namespace, name))
        .map(doc));
  }

  /** The stored document; {@code CS_NOT_FOUND} when there is none. */
  public Future<JsonObject> get(String tenant, String namespace, String name) {
    return kv.get(KvKeys.schedule(tenant, namespace, name)).compose(raw -> raw == null
        ? Future.failedFuture(CsException.notFound("schedule " + name))
        : Future.succeededFuture(new JsonObject(raw)));
  }

  /** The namespace's schedules, by name. */
  public Future<List<JsonObject>> list(String tenant, String namespace, int limit) {
    return kv.indexRange(KvKeys.scheduleIndex(tenant, namespace), limit, false)
        .compose(names -> kv.getAll(names.stream().map(n -> KvKeys.schedule(tenant, namespace, n)).toList())
            .map(found -> {
              List<JsonObject> out = new ArrayList<>();
              for (String n : names) {
                String raw = found.get(KvKeys.schedule(tenant, namespace, n));
                if (raw != null) {
                  out.add(new JsonObject(raw));
                }
              }
              return out;
            }));
  }

  public Future<JsonObject> delete(String tenant, String namespace, String name) {
    return get(tenant, namespace, name)
        .compose(doc -> kv.delete(KvKeys.schedule(tenant, namespace, name))
            .compose(v -> kv.indexRemove(KvKeys.scheduleIndex(tenant, namespace), name))
            .compose(v -> kv.indexRemove(KvKeys.scheduleRegistry(), entry(tenant, namespace, name)))
            .compose(v -> announce(tenant, namespace, name))
            .map(v -> new JsonObject().put("name", name).put("deleted", true)));
  }

  /**
   * A change asked for through the API (pause, resume, trigger): {@link #change} followed by the announcement the
   * leading scheduler looks for, so it sees the change on its next poll.
   */
  public Future<JsonObject> edit(String tenant, String namespace, String name, UnaryOperator<JsonObject> change) {
    return change(tenant, namespace, name, false, change)
        .compose(doc -> announce(tenant, namespace, name).map(doc));
  }

  private Future<Void> announce(String tenant, String namespace, String name) {
    return kv.indexAdd(KvKeys.scheduleChanges(), entry(tenant, namespace, name), 0);
  }

  /**
   * Takes the announced changes: removes them first and only then lets the caller read their documents, so a
   * change announced meanwhile stays announced for the next take rather than being lost. The removals go
   * {@link #REMOVALS_IN_FLIGHT} at a time: a KV client queues only so many commands (the Redis adapter refuses
   * beyond its pool's waiting limit), and a leader taking over may find thousands of announcements.
   */
  public Future<List<String>> takeChanges(int limit) {
    return kv.indexRange(KvKeys.scheduleChanges(), limit, false)
        .compose(entries -> removeChanges(entries, 0).map(entries));
  }

  private Future<Void> removeChanges(List<String> entries, int from) {
    if (from >= entries.size()) {
      return Future.succeededFuture();
    }
    int to = Math.min(entries.size(), from + REMOVALS_IN_FLIGHT);
    List<Future<Boolean>> removed = new ArrayList<>(to - from);
    for (String e : entries.subList(from, to)) {
      removed.add(kv.indexRemove(KvKeys.scheduleChanges(), e));
    }
    return Future.all(removed).compose(done -> removeChanges(entries, to));
  }

  /** Puts {@code spec} into {@code doc} with a new {@link #SPEC_TAG}; answers {@code doc}. */
  public static JsonObject withSpec(JsonObject doc, ScheduleSpec spec) {
    return doc.put("spec", spec.toJson()).put(SPEC_TAG, ThreadLocalRandom.current().nextLong());
  }

  public static String entry(String tenant, String namespace, String name) {
    return tenant + ":" + namespace + ":" + name;
  }

  /**
   * Applies {@code change} to the current document until a compare-and-set succeeds. {@code change} may return
   * {@code null} to leave the document alone (the future then carries {@code null}); it must be a pure function
   * of its argument, because it can run more than once.
   *
   * @param create whether an absent document is passed as {@code null} (otherwise {@code CS_NOT_FOUND})
   */
  public Future<JsonObject> change(String tenant, String namespace, String name, boolean create,
                                   UnaryOperator<JsonObject> change) {
    return attempt(KvKeys.schedule(tenant, namespace, name), name, create, change, CAS_ATTEMPTS);
  }

  /**
   * One change of {@link #changeEach}: a registry entry, its document as the caller holds it, and the change, which
   * moves the document it is given (a copy of {@code seen}, or of the document read again) and answers whether it
   * changed it. Like {@link #change}'s, it may run more than once, each time on a fresh copy.
   */
  public record Change(String registryEntry, ScheduleDocument seen, Predicate<ScheduleDocument> change) {
  }

  /**
   * {@link #change} for many schedules whose documents the caller holds already (kept from its last write, or read
   * in one batched read), with one write for all of them ({@link KvStore#compareAndSetEach}): a leader stepping
   * thousands of schedules pays a round trip per batch rather than per schedule. Each change works on a copy of the
   * document it is given, so a document the caller keeps is never moved by a change that was not stored. The
   * changes whose documents moved on since the caller read them are read again together and re-applied, as
   * {@link #change} does: read one by one, a burst of them (ten thousand schedules paused through the API while a
   * leader stepped them) sent a read per schedule at once, beyond the 128 commands the Redis adapter lets wait, and
   * those steps failed {@code CS_UNAVAILABLE}.
   *
   * @return one future per change, in the order of {@code changes}: the document as stored by the change (its
   *     {@link ScheduleDocument#text} what was written), or {@code null} when the change left it alone; when a
   *     batched write or read fails, every change it was for fails with its failure
   */
  public List<Future<ScheduleDocument>> changeEach(List<Change> changes) {
    return changeEach(changes, CAS_ATTEMPTS);
  }

  /**
   * {@link #changeEach} for one schedule whose document the caller does not hold: it is read first
   * ({@code CS_NOT_FOUND} when it is gone).
   */
  public Future<ScheduleDocument> readAndChange(String registryEntry, Predicate<ScheduleDocument> change) {
    return documents(List.of(registryEntry)).compose(docs -> {
      String raw = docs.get(keyOf(registryEntry));
      return raw == null ? Future.failedFuture(CsException.notFound("schedule " + registryEntry))
          : changeEach(List.of(new Change(registryEntry, ScheduleDocument.parse(raw), change))).get(0);
    });
  }

  private List<Future<ScheduleDocument>> changeEach(List<Change> changes, int left) {
    List<Future<ScheduleDocument>> answers = new ArrayList<>(changes.size());
    List<KvSwap> swaps = new ArrayList<>();
    List<Change> swapped = new ArrayList<>();
    List<ScheduleDocument> updates = new ArrayList<>();
    List<Promise<ScheduleDocument>> waiting = new ArrayList<>();
    for (Change c : changes) {
      ScheduleDocument working = c.seen.copy();
      try {
        if (!c.change.test(working)) {
          answers.add(Future.succeededFuture());
          continue;
        }
      } catch (RuntimeException refused) {
        answers.add(Future.failedFuture(refused));
        continue;
      }
      Promise<ScheduleDocument> answer = Promise.promise();
      answers.add(answer.future());
      swaps.add(new KvSwap(keyOf(c.registryEntry), c.seen.text(), working.encode()));
      swapped.add(c);
      updates.add(working);
      waiting.add(answer);
    }
    if (swaps.isEmpty()) {
      return answers;
    }
    kv.compareAndSetEach(swaps).onComplete(written -> {
      List<Change> moved = new ArrayList<>();
      List<Promise<ScheduleDocument>> movedAnswers = new ArrayList<>();
      for (int i = 0; i < waiting.size(); i++) {
        if (written.failed()) {
          waiting.get(i).fail(written.cause());
        } else if (written.result().get(i)) {
          ScheduleDocument stored = updates.get(i);
          stored.stored(swaps.get(i).update());
          waiting.get(i).complete(stored);
        } else {
          moved.add(swapped.get(i));
          movedAnswers.add(waiting.get(i));
        }
      }
      if (!moved.isEmpty()) {
        changeAgain(moved, movedAnswers, left - 1);
      }
    });
    return answers;
  }

  /**
   * Reads the documents of {@code moved} in one read and applies their changes to what they hold now; each answer
   * of {@code answers} is completed as the change at its index ends.
   */
  private void changeAgain(List<Change> moved, List<Promise<ScheduleDocument>> answers, int left) {
    if (left == 0) {
      for (int i = 0; i < moved.size(); i++) {
        answers.get(i).fail(changingTooOften(moved.get(i).registryEntry));
      }
      return;
    }
    documents(moved.stream().map(Change::registryEntry).toList()).onComplete(read -> {
      if (read.failed()) {
        answers.forEach(answer -> answer.fail(read.cause()));
        return;
      }
      List<Change> present = new ArrayList<>();
      List<Promise<ScheduleDocument>> presentAnswers = new ArrayList<>();
      for (int i = 0; i < moved.size(); i++) {
        Change c = moved.get(i);
        String raw = read.result().get(keyOf(c.registryEntry));
        if (raw == null) {
          answers.get(i).fail(CsException.notFound("schedule " + c.registryEntry));
        } else {
          present.add(new Change(c.registryEntry, ScheduleDocument.parse(raw), c.change));
          presentAnswers.add(answers.get(i));
        }
      }
      List<Future<ScheduleDocument>> again = changeEach(present, left);
      for (int i = 0; i < again.size(); i++) {
        again.get(i).onComplete(presentAnswers.get(i));
      }
    });
  }

  private static CsException changingTooOften(String name) {
    return new CsException(ErrorCode.CS_CONFLICT, "schedule " + name + " is changing too often; retry");
  }

  private Future<JsonObject> attempt(String key, String name, boolean create, UnaryOperator<JsonObject> change,
                                     int left) {
    if (left == 0) {
      return Future.failedFuture(changingTooOften(name));
    }
    return kv.get(key).compose(raw -> apply(key, name, create, change, left, raw));
  }

  private Future<JsonObject> apply(String key, String name, boolean create, UnaryOperator<JsonObject> change,
                                   int left, String raw) {
    if (raw == null && !create) {
      return Future.failedFuture(CsException.notFound("schedule " + name));
    }
    JsonObject updated;
    try {
      updated = change.apply(raw == null ? null : new JsonObject(raw));
    } catch (RuntimeException refused) {
      return Future.failedFuture(refused);
    }
    if (updated == null) {
      return Future.succeededFuture();
    }
    return kv.compareAndSet(key, raw, updated.encode()).compose(won -> won
        ? Future.succeededFuture(updated)
        : attempt(key, name, create, change, left - 1));
  }

  /** Every schedule of the deployment as {@code tenant:namespace:name}, the scheduler's work list. */
  public Future<List<String>> registry(int limit) {
    return kv.indexRange(KvKeys.scheduleRegistry(), limit, false);
  }

  /** The documents of registry entries; entries whose document is gone are left out. */
  public Future<Map<String, String>> documents(List<String> entries) {
    return kv.getAll(entries.stream().map(ScheduleStore::keyOf).toList());
  }

  public static String keyOf(String registryEntry) {
    String[] p = registryEntry.split(":", 3);
    return KvKeys.schedule(p[0], p[1], p[2]);
  }

  /**
   * The public view at {@code nowMs}: the spec's members, then the live state. A marker past its expiry is not
   * shown as inflight: the leader drops it at the schedule's next step rather than stepping for it alone (see
   * {@code Scheduler.dueAt}).
   */
  public static JsonObject view(JsonObject doc, long nowMs) {
    JsonObject state = doc.getJsonObject("state");
    JsonObject out = new JsonObject().put("name", doc.getString("name")).mergeIn(doc.getJsonObject("spec"));
    out.put("next_fire_at_ms", state.getValue("next_fire_at_ms"))
        .put("last_fired_at_ms", state.getValue("last_fired_at_ms"))
        .put("last_activation_id", state.getValue("last_activation_id"))
        .put("inflight", new JsonArray(LiveState.of(state).inflight().stream()
            .filter(marker -> marker.isLive(nowMs)).map(LiveState.Marker::id).toList()))
        .put("buffered", state.getJsonArray("buffered").size())
        .put("counters", counters(state.getJsonObject("counters")))
        .put("created_at_ms", doc.getValue("created_at_ms"))
        .put("updated_at_ms", doc.getValue("updated_at_ms"));
    return out;
  }

  /** Every counter, 0 where the document has none yet (one written before the counter existed). */
  private static JsonObject counters(JsonObject stored) {
    JsonObject out = ScheduleState.empty().getJsonObject("counters");
    stored.forEach(counter -> out.put(counter.getKey(), counter.getValue()));
    return out;
  }
}
