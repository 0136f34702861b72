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
 * sandbox pool: for a bundle near its size limit that is milliseconds of CPU no event loop should spend. A bundle
 * first loaded here is also prepared in the sandbox, so the version's later activations on this invoker find
 * contexts that already evaluated its module.
 */
final class BundleCache {

  private final FunctionStore functions;
  private final SandboxPool pool;
  private final VersionPreparation preparation;
  private final Map<String, VersionMeta> metas;
  private final Map<String, BundleFiles> bundles;
  private final Counter bundleHits;
  private final Counter bundleMisses;
  private final Counter metaHits;
  private final Counter metaMisses;

  BundleCache(FunctionStore functions, SandboxPool pool, VersionPreparation preparation, int size,
              MeterRegistry registry) {
    this.functions = functions;
    this.pool = pool;
    this.preparation = preparation;
    this.metas = lru(size * 4);
    this.bundles = lru(size);
    this.bundleHits = cacheCounter(registry, "bundle", "hit");
    this.bundleMisses = cacheCounter(registry, "bundle", "miss");
    this.metaHits = cacheCounter(registry, "manifest", "hit");
    this.metaMisses = cacheCounter(registry, "manifest", "miss");
  }

  static Counter cacheCounter(MeterRegistry registry, String cache, String result) {
    return Counter.builder("cs.cache.requests").description("Cache lookups by cache and result")
        .tag("cache", cache).tag("result", result).register(registry);
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
    return bundle(tenant, namespace, function, meta, VersionPreparation.Reason.FIRST_SEEN);
  }

  /**
   * Loads a version just published so that it is prepared before its first activation; a version whose bundle
   * this invoker already holds was prepared when it was loaded.
   */
  Future<Void> published(String tenant, String namespace, String function, long version) {
    return meta(tenant, namespace, function, version)
        .compose(meta -> bundle(tenant, namespace, function, meta, VersionPreparation.Reason.PUBLISHED))
        .mapEmpty();
  }

  private Future<BundleFiles> bundle(String tenant, String namespace, String function, VersionMeta meta,
                                     VersionPreparation.Reason reason) {
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
        .onSuccess(b -> {
          bundles.put(key, b);
          preparation.prepare(tenant, namespace, function, meta, b, reason);
        });
  }
}
