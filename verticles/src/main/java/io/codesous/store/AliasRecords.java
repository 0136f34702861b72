package io.codesous.store;

import io.codesous.kv.KvStore;
import io.codesous.spec.error.CsException;
import io.codesous.spec.kv.KvKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.model.FunctionRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Aliases of functions and the resolution of a ref (version, alias or latest) to the versions it
 * may run; every version an alias names must exist and belong to the function as it is now.
 */
final class AliasRecords {

  private final KvStore kv;
  private final LongSupplier clockMs;
  private final FunctionRecords functions;
  private final VersionRecords versions;

  AliasRecords(KvStore kv, LongSupplier clockMs, FunctionRecords functions, VersionRecords versions) {
    this.kv = kv;
    this.clockMs = clockMs;
    this.functions = functions;
    this.versions = versions;
  }

  /**
   * Points an alias at an existing version.
   *
   * @param ifVersion when not {@code null}, the version the alias must point at now (compare-and-set);
   *                  0 means the alias must not exist yet. A mismatch fails with {@code CS_CONFLICT}.
   */
  Future<JsonObject> setAlias(String tenant, String namespace, String function, String alias, long version,
                              Long ifVersion) {
    return setAlias(tenant, namespace, function, alias, AliasTarget.of(version), ifVersion);
  }

  /**
   * Points an alias at an existing version, and a share of its invocations at other existing versions (see
   * {@link AliasTarget}); every version named must exist ({@code CS_NOT_FOUND} otherwise).
   *
   * @param ifVersion as above: compared with the version the alias points at now, weights aside
   */
  Future<JsonObject> setAlias(String tenant, String namespace, String function, String alias,
                              AliasTarget target, Long ifVersion) {
    String key = KvKeys.alias(tenant, namespace, function, alias);
    List<Future<VersionMeta>> exist = new ArrayList<>();
    return functions.get(tenant, namespace, function, false)
        .compose(fn -> {
          long first = FunctionRecords.firstVersion(fn);
          exist.add(versions.currentVersion(tenant, namespace, function, target.version(), first));
          target.weights().keySet().forEach(v -> exist.add(versions.currentVersion(tenant, namespace, function, v, first)));
          return Future.all(exist);
        })
        .compose(metas -> kv.get(key))
        .compose(current -> {
          long currentVersion = current == null ? 0 : new JsonObject(current).getLong("version");
          if (ifVersion != null && ifVersion != currentVersion) {
            return Future.failedFuture(new CsException(ErrorCode.CS_CONFLICT,
                "alias " + alias + " points at " + currentVersion + ", not " + ifVersion,
                new JsonObject().put("current_version", currentVersion)));
          }
          JsonObject record = target.toJson().put("updated_at_ms", clockMs.getAsLong());
          return kv.compareAndSet(key, current, record.encode()).compose(swapped -> {
            if (!swapped) {
              return ifVersion != null
                  ? Future.failedFuture(new CsException(ErrorCode.CS_CONFLICT, "alias " + alias + " changed concurrently"))
                  : setAlias(tenant, namespace, function, alias, target, null);
            }
            return kv.indexAdd(KvKeys.aliasIndex(tenant, namespace, function), alias, 0)
                .map(v -> target.toJson().put("alias", alias));
          });
        });
  }

  /** Alias name to version, in name order. */
  Future<Map<String, Long>> aliases(String tenant, String namespace, String function) {
    return aliasTargets(tenant, namespace, function).map(targets -> {
      Map<String, Long> out = new LinkedHashMap<>();
      targets.forEach((name, target) -> out.put(name, target.version()));
      return out;
    });
  }

  /** Alias name to its target (version and weights), in name order. */
  Future<Map<String, AliasTarget>> aliasTargets(String tenant, String namespace, String function) {
    return kv.indexRange(KvKeys.aliasIndex(tenant, namespace, function), 1000, false)
        .compose(names -> kv.getAll(names.stream().map(a -> KvKeys.alias(tenant, namespace, function, a)).toList())
            .map(found -> {
              Map<String, AliasTarget> out = new LinkedHashMap<>();
              for (String a : names) {
                String raw = found.get(KvKeys.alias(tenant, namespace, function, a));
                if (raw != null) {
                  out.put(a, AliasTarget.fromStored(new JsonObject(raw)));
                }
              }
              return out;
            }));
  }

  /**
   * Resolves a ref of a live (not deleted) function to a published version; a weighted alias draws one of its
   * versions at random, in its shares.
   *
   * @return the version's metadata; fails {@code CS_NOT_FOUND} for an unknown function, alias or version
   */
  Future<VersionMeta> resolve(String tenant, String namespace, String function, FunctionRef ref) {
    return resolveAll(tenant, namespace, function, ref)
        .map(resolved -> resolved.pick(ThreadLocalRandom.current().nextInt(100)));
  }

  /**
   * Resolves a ref of a live function to every version it may run (see {@link ResolvedRef}); fails
   * {@code CS_NOT_FOUND} for an unknown function, alias or version.
   */
  Future<ResolvedRef> resolveAll(String tenant, String namespace, String function, FunctionRef ref) {
    return functions.get(tenant, namespace, function, false).compose(fn -> {
      long first = FunctionRecords.firstVersion(fn);
      if (ref instanceof FunctionRef.Version v) {
        return versions.currentVersion(tenant, namespace, function, v.number(), first).map(ResolvedRef::single);
      }
      if (ref instanceof FunctionRef.Alias a) {
        return kv.get(KvKeys.alias(tenant, namespace, function, a.name()))
            .compose(raw -> raw == null || new JsonObject(raw).getLong("version") < first
                ? Future.failedFuture(CsException.notFound("alias " + a.name() + " of function " + function))
                : resolveTarget(tenant, namespace, function, AliasTarget.fromStored(new JsonObject(raw))));
      }
      return versions.latestVersion(tenant, namespace, function).compose(latest -> latest < first
          ? Future.failedFuture(CsException.notFound("a published version of function " + function))
          : versions.version(tenant, namespace, function, latest).map(ResolvedRef::single));
    });
  }

  private Future<ResolvedRef> resolveTarget(String tenant, String namespace, String function, AliasTarget target) {
    List<Future<VersionMeta>> metas = new ArrayList<>();
    metas.add(versions.version(tenant, namespace, function, target.version()));
    target.weights().keySet().forEach(v -> metas.add(versions.version(tenant, namespace, function, v)));
    return Future.all(metas).map(all -> {
      Map<Long, VersionMeta> candidates = new LinkedHashMap<>();
      for (int i = 0; i < all.size(); i++) {
        VersionMeta meta = all.resultAt(i);
        candidates.put(meta.version(), meta);
      }
      return new ResolvedRef(target, candidates);
    });
  }
}
