package io.codesous.store;

import io.codesous.kv.KvStore;
import io.codesous.spec.error.CsException;
import io.codesous.spec.kv.KvKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.codesous.spec.error.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The function records themselves: creating, creating again after a delete, reading, listing and
 * soft-deleting, each under the tenant and namespace its key is built from.
 */
final class FunctionRecords {

  private final KvStore kv;
  private final LongSupplier clockMs;
  private final VersionRecords versions;

  FunctionRecords(KvStore kv, LongSupplier clockMs, VersionRecords versions) {
    this.kv = kv;
    this.clockMs = clockMs;
    this.versions = versions;
  }

  /**
   * Creates a function, or creates again one that was deleted. A function created again keeps its name's version
   * sequence: its versions start after the deleted one's ({@code first_version}), and the deleted one's versions stay
   * readable with {@code include_deleted} but are never resolved, invoked or aliased again.
   */
  Future<JsonObject> create(String tenant, String namespace, String name) {
    long now = clockMs.getAsLong();
    JsonObject record = new JsonObject()
        .put("tenant", tenant).put("namespace", namespace).put("name", name)
        .put("created_at_ms", now).putNull("deleted_at_ms");
    String key = KvKeys.function(tenant, namespace, name);
    return kv.putIfAbsent(key, record.encode(), null)
        .compose(created -> created ? Future.succeededFuture(record) : createAgain(tenant, namespace, name, record))
        .compose(created -> kv.indexAdd(KvKeys.functionIndex(tenant, namespace), name, now).map(created));
  }

  private Future<JsonObject> createAgain(String tenant, String namespace, String name, JsonObject record) {
    String key = KvKeys.function(tenant, namespace, name);
    return kv.get(key).compose(raw -> {
      if (raw == null) {
        // deleted for good between the two calls: start over
        return create(tenant, namespace, name);
      }
      if (!isDeleted(new JsonObject(raw))) {
        return Future.failedFuture(new CsException(ErrorCode.CS_CONFLICT, "function " + name + " already exists"));
      }
      return versions.latestVersion(tenant, namespace, name).compose(latest -> {
        JsonObject again = record.copy().put("first_version", latest + 1);
        return kv.compareAndSet(key, raw, again.encode()).compose(swapped -> swapped
            ? Future.succeededFuture(again)
            : Future.failedFuture(new CsException(ErrorCode.CS_CONFLICT, "function " + name
                + " was created or deleted concurrently; try again")));
      });
    });
  }

  /** The first version of the function as it is now: versions below it belong to a deleted function of that name. */
  static long firstVersion(JsonObject record) {
    return record.getLong("first_version", 1L);
  }

  /** The function record; fails with {@code CS_NOT_FOUND} when absent or (unless asked) deleted. */
  Future<JsonObject> get(String tenant, String namespace, String name, boolean includeDeleted) {
    return kv.get(KvKeys.function(tenant, namespace, name))
        .compose(raw -> {
          JsonObject record = raw == null ? null : new JsonObject(raw);
          if (record == null || (!includeDeleted && isDeleted(record))) {
            return Future.failedFuture(CsException.notFound("function " + name));
          }
          return Future.succeededFuture(record);
        });
  }

  Future<List<JsonObject>> list(String tenant, String namespace, boolean includeDeleted, int limit) {
    return kv.indexRange(KvKeys.functionIndex(tenant, namespace), limit, false)
        .compose(names -> kv.getAll(names.stream().map(n -> KvKeys.function(tenant, namespace, n)).toList())
            .map(found -> {
              List<JsonObject> out = new ArrayList<>();
              for (String n : names) {
                String raw = found.get(KvKeys.function(tenant, namespace, n));
                if (raw != null) {
                  JsonObject record = new JsonObject(raw);
                  if (includeDeleted || !isDeleted(record)) {
                    out.add(record);
                  }
                }
              }
              return out;
            }));
  }

  /** Soft delete: sets {@code deleted_at_ms}; versions, aliases and activations stay readable by id. */
  Future<JsonObject> softDelete(String tenant, String namespace, String name) {
    String key = KvKeys.function(tenant, namespace, name);
    return kv.get(key).compose(raw -> {
      if (raw == null || isDeleted(new JsonObject(raw))) {
        return Future.failedFuture(CsException.notFound("function " + name));
      }
      JsonObject deleted = new JsonObject(raw).put("deleted_at_ms", clockMs.getAsLong());
      return kv.compareAndSet(key, raw, deleted.encode()).compose(swapped -> swapped
          ? Future.succeededFuture(deleted)
          : softDelete(tenant, namespace, name));
    });
  }

  static boolean isDeleted(JsonObject record) {
    return record.getValue("deleted_at_ms") != null;
  }
}
