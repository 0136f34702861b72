package io.codesous.gateway;

import io.codesous.spec.model.FunctionRef;
import io.codesous.store.FunctionStore;
import io.codesous.store.ResolvedRef;
import io.codesous.store.VersionMeta;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Resolved refs, reused for a short time so the hot path reads no KV. The time bounds how long an
 * alias move or a delete takes to reach this gateway. Failures are not cached. What is kept is every version the
 * ref may run, so each invocation of a weighted alias still draws its own. One per gateway, so used on its event
 * loop only.
 */
class RefCache {

  static final int MAX_ENTRIES = 10_000;

  private record Entry(ResolvedRef resolved, long expiresAtMs) {
  }

  private final FunctionStore functions;
  private final long ttlMs;
  private final LongSupplier clockMs;
  private final IntSupplier roll;
  private final Map<String, Entry> entries = new HashMap<>();

  RefCache(FunctionStore functions, long ttlMs, LongSupplier clockMs) {
    this(functions, ttlMs, clockMs, () -> ThreadLocalRandom.current().nextInt(100));
  }

  /** @param roll draws from 0..99 uniformly: which version of a weighted alias an invocation runs */
  RefCache(FunctionStore functions, long ttlMs, LongSupplier clockMs, IntSupplier roll) {
    this.functions = functions;
    this.ttlMs = ttlMs;
    this.clockMs = clockMs;
    this.roll = roll;
  }

  Future<VersionMeta> resolve(String tenant, String namespace, String function, String rawRef, FunctionRef ref) {
    String key = tenant + '/' + namespace + '/' + function + '/' + rawRef;
    long now = clockMs.getAsLong();
    Entry hit = entries.get(key);
    if (hit != null && hit.expiresAtMs > now) {
      return Future.succeededFuture(hit.resolved.pick(roll.getAsInt()));
    }
    return functions.resolveAll(tenant, namespace, function, ref).map(resolved -> {
      if (ttlMs > 0) {
        if (entries.size() >= MAX_ENTRIES) {
          entries.clear();
        }
        entries.put(key, new Entry(resolved, now + ttlMs));
      }
      return resolved.pick(roll.getAsInt());
    });
  }
}
