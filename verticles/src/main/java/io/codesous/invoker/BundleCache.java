package io.codesous.invoker;

import io.codesous.spec.bundle.BundleFiles;
import io.codesous.store.FunctionStore;
import io.codesous.store.VersionMeta;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Version metadata and decoded bundles kept in memory. Versions are immutable, so entries never go
 * stale; bundles are keyed by sha256 (verified when fetched), so versions with the same files
 * share one entry. Least recently used entries leave first. A miss decodes and verifies the bundle on the
 * sandbox pool: for a bundle near its size limit that is milliseconds of CPU no event loop should spend. A bundle
 * first loaded here is also prepared in the sandbox, so the version's later activations on this invoker find
 * contexts that already evaluated its module. Activations that miss while the bundle is loading wait for that load
 * (and count as hits), so a burst of first invokes loads it once.
 */
final class BundleCache {

  private final FunctionStore functions;
  private final SandboxPool pool;
  private final VersionPreparation preparation;
  private final Map<String, VersionMeta> metas;
  private final Map<String, BundleFiles> bundles;
  /**
   * Bundles being read and decoded, by key: a caller that misses while one is loading waits for that load instead
   * of reading and decoding the same bytes again (a burst of first invokes of a new version would otherwise load its
   * bundle once each, on the sandbox pool's threads). Guarded by itself.
   */
  private final Map<String, Future<BundleFiles>> loading = new HashMap<>();
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
    Future<BundleFiles> inFlight;
    Promise<BundleFiles> load = null;
    synchronized (loading) {
      inFlight = loading.get(key);
      if (inFlight == null) {
        // a load may have ended between the lookup above and here
        hit = bundles.get(key);
        if (hit == null) {
          load = Promise.promise();
          loading.put(key, load.future());
        }
      }
    }
    if (hit != null || inFlight != null) {
      bundleHits.increment();
      return hit != null ? Future.succeededFuture(hit) : onCallersContext(inFlight);
    }
    bundleMisses.increment();
    Promise<BundleFiles> loaded = load;
    functions.storedBundle(tenant, namespace, function, meta)
        .compose(stored -> pool.run(() -> FunctionStore.decodeBundle(stored, meta)))
        .onComplete(result -> {
          try {
            if (result.succeeded()) {
              bundles.put(key, result.result());
              preparation.prepare(tenant, namespace, function, meta, result.result(), reason);
            }
          } finally {
            // a failed load is not kept: the next lookup loads again
            synchronized (loading) {
              loading.remove(key);
            }
            loaded.handle(result);
          }
        });
    return loaded.future();
  }

  /**
   * A load started by a caller on another context, completed on this caller's: the invoker's consumers and the
   * announcements' run on contexts of their own, and each continues on its own.
   */
  private static Future<BundleFiles> onCallersContext(Future<BundleFiles> load) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return load;
    }
    Promise<BundleFiles> mine = Promise.promise();
    load.onComplete(result -> caller.runOnContext(v -> mine.handle(result)));
    return mine.future();
  }
}
