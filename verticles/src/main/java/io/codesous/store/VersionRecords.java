package io.codesous.store;

import io.codesous.kv.KvStore;
import io.codesous.spec.error.CsException;
import io.codesous.spec.kv.KvKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.error.ErrorCode;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The published versions of functions: their metadata, their bundles, and the version sequence.
 * Versions are immutable once written (see {@link FunctionStore#publish}).
 */
final class VersionRecords {

  private final KvStore kv;

  VersionRecords(KvStore kv) {
    this.kv = kv;
  }

  Future<VersionMeta> version(String tenant, String namespace, String function, long version) {
    return kv.get(KvKeys.versionMeta(tenant, namespace, function, Long.toString(version)))
        .compose(raw -> raw == null
            ? Future.failedFuture(CsException.notFound("version " + version + " of function " + function))
            : Future.succeededFuture(VersionMeta.fromJson(new JsonObject(raw).put("version", version))));
  }

  /** The bundle of a version, verified against the hash its metadata recorded. */
  Future<BundleFiles> bundle(String tenant, String namespace, String function, VersionMeta meta) {
    return storedBundle(tenant, namespace, function, meta).map(stored -> decodeBundle(stored, meta));
  }

  /**
   * The stored text of a version's bundle, not yet decoded: callers that must keep their event loop free
   * hand it to {@link #decodeBundle} on a worker.
   */
  Future<String> storedBundle(String tenant, String namespace, String function, VersionMeta meta) {
    return kv.get(KvKeys.versionBundle(tenant, namespace, function, Long.toString(meta.version())))
        .compose(raw -> raw == null
            ? Future.failedFuture(new CsException(ErrorCode.CS_INTERNAL,
                "bundle of version " + meta.version() + " is missing"))
            : Future.succeededFuture(raw));
  }

  /** The highest published version, or 0. */
  Future<Long> latestVersion(String tenant, String namespace, String function) {
    return kv.get(KvKeys.versionSeq(tenant, namespace, function))
        .map(raw -> raw == null ? 0L : Long.parseLong(raw));
  }

  /** Newest first, at most {@code limit}. */
  Future<List<VersionMeta>> versions(String tenant, String namespace, String function, int limit) {
    return latestVersion(tenant, namespace, function).compose(latest -> {
      List<String> keys = new ArrayList<>();
      for (long v = latest; v >= 1 && keys.size() < limit; v--) {
        keys.add(KvKeys.versionMeta(tenant, namespace, function, Long.toString(v)));
      }
      return kv.getAll(keys).map(found -> {
        List<VersionMeta> out = new ArrayList<>();
        for (long v = latest; v >= 1 && out.size() < limit; v--) {
          String raw = found.get(KvKeys.versionMeta(tenant, namespace, function, Long.toString(v)));
          if (raw != null) {
            out.add(VersionMeta.fromJson(new JsonObject(raw).put("version", v)));
          }
        }
        return out;
      });
    });
  }

  /**
   * A version of the function as it is now; one of a deleted function of the same name is not found.
   *
   * @param first the function's {@link FunctionRecords#firstVersion}
   */
  Future<VersionMeta> currentVersion(String tenant, String namespace, String function, long version,
                                     long first) {
    return version < first
        ? Future.failedFuture(CsException.notFound("version " + version + " of function " + function))
        : version(tenant, namespace, function, version);
  }

  /**
   * Decodes a stored bundle and verifies it against the hash its version recorded: base64, tar and sha256 over
   * up to the bundle limit, CPU work that belongs off the event loops.
   */
  static BundleFiles decodeBundle(String stored, VersionMeta meta) {
    return decodeBundle(stored, meta.sha256());
  }

  /** {@link #decodeBundle(String, VersionMeta)} against a hash given as such: a draft's, recorded beside its bundle. */
  static BundleFiles decodeBundle(String stored, String sha256) {
    return BundleFiles.fromTar(Base64.getDecoder().decode(stored), sha256);
  }
}
