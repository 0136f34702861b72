package io.codesous.gateway;

import io.codesous.spec.model.FunctionRef;
import io.codesous.store.FunctionStore;
import io.codesous.store.VersionMeta;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Resolved refs, reused for a short time so the hot path reads no KV. The time bounds how long an
 * alias move or a delete takes to reach this gateway. Failures are not cached. One per gateway, so used on its
 * event loop only.
 */
class RefCache {

  static final int MAX_ENTRIES = 10_000;

  private record Entry(VersionMeta meta, long expiresAtMs) {
  }

  private final FunctionStore functions;
  private final long ttlMs;
  private final LongSupplier clockMs;
  private final Map<String, Entry> entries = new HashMap<>();

  RefCache(FunctionStore functions, long ttlMs, LongSupplier clockMs) {
    this.functions = functions;
    this.ttlMs = ttlMs;
    this.clockMs = clockMs;
  }

  Future<VersionMeta> resolve(String tenant, String namespace, String function, String rawRef, FunctionRef ref) {
    String key = tenant + '/' + namespace + '/' + function + '/' + rawRef;
    long now = clockMs.getAsLong();
    Entry hit = entries.get(key);
    if (hit != null && hit.expiresAtMs > now) {
      return Future.succeededFuture(hit.meta);
    }
    return functions.resolve(tenant, namespace, function, ref).onSuccess(meta -> {
      if (ttlMs > 0) {
        if (entries.size() >= MAX_ENTRIES) {
          entries.clear();
        }
        entries.put(key, new Entry(meta, now + ttlMs));
      }
    });
  }
}
