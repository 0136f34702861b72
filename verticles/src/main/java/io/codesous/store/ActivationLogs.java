package io.codesous.store;

import io.codesous.kv.KvStore;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.model.ActivationOutcome;
import io.codesous.spec.model.ActivationRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An activation's log entries, stored in chunks of {@link #CHUNK_ENTRIES} under
 * {@link KvKeys#activationLogs} and read back a page at a time, touching only the chunks the page
 * covers.
 */
final class ActivationLogs {

  /** Log entries per stored chunk: bounds one value's size and lets readers page. */
  static final int CHUNK_ENTRIES = 200;

  private final KvStore kv;
  private final Duration retention;

  ActivationLogs(KvStore kv, Duration retention) {
    this.kv = kv;
    this.retention = retention;
  }

  /** See {@link ActivationStore#writeLogs}. */
  Future<Integer> write(String tenant, String namespace, String activationId, List<JsonObject> entries) {
    List<Future<Void>> writes = new ArrayList<>();
    int chunks = 0;
    for (int from = 0; from < entries.size(); from += CHUNK_ENTRIES) {
      JsonArray chunk = new JsonArray(new ArrayList<>(
          entries.subList(from, Math.min(entries.size(), from + CHUNK_ENTRIES))));
      writes.add(kv.put(KvKeys.activationLogs(tenant, namespace, activationId, chunks), chunk.encode(), retention));
      chunks++;
    }
    int written = chunks;
    return Future.all(writes).map(v -> written);
  }

  /** See {@link ActivationStore#logs(String, String, String, int, int)}; {@code record} is the activation's. */
  Future<JsonObject> page(String tenant, String namespace, String activationId, ActivationRecord record, int from,
      int limit) {
    ActivationOutcome.Logs logInfo = record.logs();
    int count = logInfo.count();
    int end = (int) Math.min(count, (long) from + limit);
    List<String> keys = new ArrayList<>();
    for (int i = from / CHUNK_ENTRIES; from < end && i <= (end - 1) / CHUNK_ENTRIES; i++) {
      keys.add(KvKeys.activationLogs(tenant, namespace, activationId, i));
    }
    return kv.getAll(keys).map(found -> {
      JsonArray page = new JsonArray();
      int index = keys.isEmpty() ? 0 : (from / CHUNK_ENTRIES) * CHUNK_ENTRIES;
      for (String key : keys) {
        String raw = found.get(key);
        JsonArray chunk = raw == null ? new JsonArray() : new JsonArray(raw);
        for (Object entry : chunk) {
          if (index >= from && index < end) {
            page.add(entry);
          }
          index++;
        }
      }
      JsonObject answer = new JsonObject()
          .put("activation_id", activationId)
          .put("status", record.status().wire())
          .put("logs", page)
          .put("truncated", logInfo.truncated());
      return end < count ? answer.put("next", end) : answer;
    });
  }

  Future<Void> writeLive(String tenant, String namespace, String activationId, int attempt, int chunk,
                         JsonArray entries, Duration ttl) {
    return kv.put(KvKeys.activationLiveLogs(tenant, namespace, activationId, attempt, chunk), entries.encode(), ttl);
  }

  Future<JsonArray> readLive(String tenant, String namespace, String activationId, int attempt, int chunk) {
    return kv.get(KvKeys.activationLiveLogs(tenant, namespace, activationId, attempt, chunk))
        .map(raw -> raw == null ? null : new JsonArray(raw));
  }
}
