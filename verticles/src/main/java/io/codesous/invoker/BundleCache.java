package io.codesous.invoker;

import io.codesous.spec.bundle.BundleFiles;
import io.codesous.store.FunctionStore;
import io.codesous.store.VersionMeta;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;

/**
 * Version metadata and decoded bundles kept in memory ({@link LoadingCache}s: least recently used first out, one
 * load however many activations miss at once). Versions are immutable, so entries never go stale; bundles are keyed
 * by sha256 (verified when fetched), so versions with the same files share one entry. A miss decodes and verifies
 * the bundle on the sandbox pool: for a bundle near its size limit that is milliseconds of CPU no event loop should
 * spend. A bundle first loaded here is also prepared in the sandbox, so the version's later activations on this
 * invoker find contexts that already evaluated its module.
 */
final class BundleCache {

  private final FunctionStore functions;
  private final SandboxPool pool;
  private final VersionPreparation preparation;
  private final LoadingCache<VersionMeta> metas;
  private final LoadingCache<BundleFiles> bundles;

  BundleCache(FunctionStore functions, SandboxPool pool, VersionPreparation preparation, int size,
              MeterRegistry registry) {
    this.functions = functions;
    this.pool = pool;
    this.preparation = preparation;
    this.metas = new LoadingCache<>("manifest", size * 4, registry);
    this.bundles = new LoadingCache<>("bundle", size, registry);
  }

  Future<VersionMeta> meta(String tenant, String namespace, String function, long version) {
    return metas.get(tenant + '/' + namespace + '/' + function + '/' + version,
        () -> functions.version(tenant, namespace, function, version));
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
    return bundles.get(tenant + '/' + meta.sha256(), () -> functions.storedBundle(tenant, namespace, function, meta)
        .compose(stored -> pool.run(() -> FunctionStore.decodeBundle(stored, meta)))
        .onSuccess(loaded -> preparation.prepare(tenant, namespace, function, meta, loaded, reason)));
  }
}
