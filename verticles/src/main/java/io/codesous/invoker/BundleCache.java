package io.codesous.invoker;

import io.codesous.spec.bundle.BundleFiles;
import io.codesous.store.FunctionStore;
import io.codesous.store.VersionMeta;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Version metadata and decoded bundles kept in memory. Versions are immutable, so entries never go
 * stale; bundles are keyed by sha256 (verified when fetched), so versions with the same files
 * share one entry. Least recently used entries leave first. A miss decodes and verifies the bundle on the
 * sandbox pool: for a bundle near its size limit that is milliseconds of CPU no event loop should spend.
 */
final class BundleCache {

  private final FunctionStore functions;
  private final SandboxPool pool;
  private final Map<String, VersionMeta> metas;
  private final Map<String, BundleFiles> bundles;
  private final Counter bundleHits;
  private final Counter bundleMisses;
  private final Counter metaHits;
  private final Counter metaMisses;

  BundleCache(FunctionStore functions, SandboxPool pool, int size, MeterRegistry registry) {
    this.functions = functions;
    this.pool = pool;
    this.metas = lru(size * 4);
    this.bundles = lru(size);
    this.bundleHits = Counter.builder("cs.invoker.bundle.cache").tag("result", "hit").register(registry);
    this.bundleMisses = Counter.builder("cs.invoker.bundle.cache").tag("result", "miss").register(registry);
    this.metaHits = Counter.builder("cs.invoker.manifest.cache").tag("result", "hit").register(registry);
    this.metaMisses = Counter.builder("cs.invoker.manifest.cache").tag("result", "miss").register(registry);
  }

  private static <V> Map<String, V> lru(int max) {
    return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > max;
      }
    });
  }

  Future<VersionMeta> meta(String tenant, String namespace, String function, long version) {
    String key = tenant + '/' + namespace + '/' + function + '/' + version;
    VersionMeta hit = metas.get(key);
    if (hit != null) {
      metaHits.increment();
      return Future.succeededFuture(hit);
    }
    metaMisses.increment();
    return functions.version(tenant, namespace, function, version).onSuccess(meta -> metas.put(key, meta));
  }

  Future<BundleFiles> bundle(String tenant, String namespace, String function, VersionMeta meta) {
    // the hash is the identity, but the cache never serves one tenant's bytes to another
    String key = tenant + '/' + meta.sha256();
    BundleFiles hit = bundles.get(key);
    if (hit != null) {
      bundleHits.increment();
      return Future.succeededFuture(hit);
    }
    bundleMisses.increment();
    return functions.storedBundle(tenant, namespace, function, meta)
        .compose(stored -> pool.run(() -> FunctionStore.decodeBundle(stored, meta)))
        .onSuccess(b -> bundles.put(key, b));
  }
}
