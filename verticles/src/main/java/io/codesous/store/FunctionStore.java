package io.codesous.store;

import io.codesous.kv.KvStore;
import io.codesous.kv.KvWrite;
import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.model.FunctionRef;
import io.codesous.spec.model.Manifest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Function lifecycle state over the KV port: functions, drafts, immutable versions and their
 * bundles, aliases. Every method takes the tenant and namespace, and every key it touches is built
 * by {@link KvKeys} from them. Failed futures carry a {@link CsException}.
 */
public class FunctionStore {

  /** How long the "this draft existed" marker outlives the draft itself. */
  static final Duration TOMBSTONE_EXTRA = Duration.ofDays(1);

  private final KvStore kv;
  private final LongSupplier clockMs;

  public FunctionStore(KvStore kv, LongSupplier clockMs) {
    this.kv = CatalogKvStore.of(kv);
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
  }

  // ---- functions

  /**
   * Creates a function, or creates again one that was deleted. A function created again keeps its name's version
   * sequence: its versions start after the deleted one's ({@code first_version}), and the deleted one's versions stay
   * readable with {@code include_deleted} but are never resolved, invoked or aliased again.
   */
  public Future<JsonObject> create(String tenant, String namespace, String name) {
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
      return latestVersion(tenant, namespace, name).compose(latest -> {
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
  public Future<JsonObject> get(String tenant, String namespace, String name, boolean includeDeleted) {
    return kv.get(KvKeys.function(tenant, namespace, name))
        .compose(raw -> {
          JsonObject record = raw == null ? null : new JsonObject(raw);
          if (record == null || (!includeDeleted && isDeleted(record))) {
            return Future.failedFuture(CsException.notFound("function " + name));
          }
          return Future.succeededFuture(record);
        });
  }

  public Future<List<JsonObject>> list(String tenant, String namespace, boolean includeDeleted, int limit) {
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
  public Future<JsonObject> softDelete(String tenant, String namespace, String name) {
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

  // ---- drafts

  /** Stores a draft with a time to live; the function must exist and not be deleted. */
  public Future<JsonObject> putDraft(String tenant, String namespace, String function, BundleFiles bundle,
                                     Manifest manifest, Duration ttl) {
    return get(tenant, namespace, function, false).compose(fn -> {
      String draftId = UUID.randomUUID().toString();
      long now = clockMs.getAsLong();
      long expiresAt = now + ttl.toMillis();
      byte[] tar = bundle.tar();
      JsonObject draft = new JsonObject()
          .put("draft_id", draftId)
          .put("sha256", bundle.sha256())
          .put("size_bytes", tar.length)
          .put("files", bundle.files().size())
          .put("created_at_ms", now)
          .put("expires_at_ms", expiresAt)
          .put("manifest", manifest.toJson())
          .put("bundle", Base64.getEncoder().encodeToString(tar));
      JsonObject tombstone = new JsonObject().put("expires_at_ms", expiresAt);
      return kv.put(KvKeys.draftTombstone(tenant, namespace, function, draftId), tombstone.encode(),
              ttl.plus(TOMBSTONE_EXTRA))
          .compose(v -> kv.put(KvKeys.draft(tenant, namespace, function, draftId), draft.encode(), ttl))
          .map(v -> {
            JsonObject answer = draft.copy();
            answer.remove("bundle");
            answer.remove("manifest");
            return answer;
          });
    });
  }

  // ---- versions

  /**
   * Publishes a draft as the next version, atomically with its bundle and (optionally) an alias.
   *
   * @return {@code {"version","sha256","alias"?}}; fails {@code CS_NOT_FOUND} for an unknown draft,
   *         {@code CS_DRAFT_EXPIRED} for one that expired
   */
  public Future<JsonObject> publish(String tenant, String namespace, String function, String draftId, String alias) {
    return get(tenant, namespace, function, false)
        .compose(fn -> kv.get(KvKeys.draft(tenant, namespace, function, draftId))
            .compose(raw -> raw != null
                ? Future.succeededFuture(new JsonObject(raw))
                : missingDraft(tenant, namespace, function, draftId))
            .compose(draft -> sameAsLatest(tenant, namespace, function, fn, draft).compose(same -> same == null
                ? publishNew(tenant, namespace, function, draftId, alias, draft)
                : unchanged(tenant, namespace, function, same, alias))));
  }

  /**
   * The latest version when it holds the same bundle (sha256) and manifest as the draft, else {@code null}: deploying
   * what is already live again then answers that version instead of numbering a copy of it.
   */
  private Future<VersionMeta> sameAsLatest(String tenant, String namespace, String function, JsonObject fn,
                                           JsonObject draft) {
    return latestVersion(tenant, namespace, function).compose(latest -> latest < firstVersion(fn)
        ? Future.succeededFuture(null)
        : version(tenant, namespace, function, latest).map(meta -> meta.sha256().equals(draft.getString("sha256"))
            && meta.manifest().toJson().equals(Manifest.fromStored(draft.getJsonObject("manifest")).toJson())
            ? meta : null));
  }

  private Future<JsonObject> unchanged(String tenant, String namespace, String function, VersionMeta same,
                                       String alias) {
    JsonObject answer = new JsonObject().put("version", same.version()).put("sha256", same.sha256())
        .put("unchanged", true);
    return alias == null ? Future.succeededFuture(answer)
        : setAlias(tenant, namespace, function, alias, same.version(), null).map(set -> answer.put("alias", alias));
  }

  private Future<JsonObject> publishNew(String tenant, String namespace, String function, String draftId,
                                        String alias, JsonObject published) {
    return Future.succeededFuture(published)
        .compose(draft -> {
          long now = clockMs.getAsLong();
          String seq = KvWrite.SEQ;
          JsonObject meta = new JsonObject()
              .put("sha256", draft.getString("sha256"))
              .put("size_bytes", draft.getLong("size_bytes"))
              .put("manifest", draft.getJsonObject("manifest"))
              .put("created_at_ms", now)
              .put("draft_id", draftId);
          List<KvWrite> writes = new ArrayList<>();
          writes.add(KvWrite.create(KvKeys.versionBundle(tenant, namespace, function, seq), draft.getString("bundle")));
          writes.add(KvWrite.create(KvKeys.versionMeta(tenant, namespace, function, seq), meta.encode()));
          if (alias != null) {
            writes.add(KvWrite.upsertTemplate(KvKeys.alias(tenant, namespace, function, alias),
                "{\"version\":" + seq + ",\"updated_at_ms\":" + now + "}"));
          }
          return kv.allocateAndWrite(KvKeys.versionSeq(tenant, namespace, function), writes)
              .compose(version -> {
                JsonObject answer = new JsonObject().put("version", version).put("sha256", draft.getString("sha256"));
                if (alias == null) {
                  return Future.succeededFuture(answer);
                }
                return kv.indexAdd(KvKeys.aliasIndex(tenant, namespace, function), alias, 0)
                    .map(answer.put("alias", alias));
              });
        });
  }

  private Future<JsonObject> missingDraft(String tenant, String namespace, String function, String draftId) {
    return kv.get(KvKeys.draftTombstone(tenant, namespace, function, draftId))
        .compose(tombstone -> Future.failedFuture(tombstone != null
            ? new CsException(ErrorCode.CS_DRAFT_EXPIRED, "draft " + draftId + " expired; upload it again")
            : CsException.notFound("draft " + draftId)));
  }

  public Future<VersionMeta> version(String tenant, String namespace, String function, long version) {
    return kv.get(KvKeys.versionMeta(tenant, namespace, function, Long.toString(version)))
        .compose(raw -> raw == null
            ? Future.failedFuture(CsException.notFound("version " + version + " of function " + function))
            : Future.succeededFuture(VersionMeta.fromJson(new JsonObject(raw).put("version", version))));
  }

  /** The bundle of a version, verified against the hash its metadata recorded. */
  public Future<BundleFiles> bundle(String tenant, String namespace, String function, VersionMeta meta) {
    return storedBundle(tenant, namespace, function, meta).map(stored -> decodeBundle(stored, meta));
  }

  /**
   * The stored text of a version's bundle, not yet decoded: callers that must keep their event loop free
   * hand it to {@link #decodeBundle} on a worker.
   */
  public Future<String> storedBundle(String tenant, String namespace, String function, VersionMeta meta) {
    return kv.get(KvKeys.versionBundle(tenant, namespace, function, Long.toString(meta.version())))
        .compose(raw -> raw == null
            ? Future.failedFuture(new CsException(ErrorCode.CS_INTERNAL,
                "bundle of version " + meta.version() + " is missing"))
            : Future.succeededFuture(raw));
  }

  /**
   * Decodes a stored bundle and verifies it against the hash its version recorded: base64, tar and sha256 over
   * up to the bundle limit, CPU work that belongs off the event loops.
   */
  public static BundleFiles decodeBundle(String stored, VersionMeta meta) {
    return BundleFiles.fromTar(Base64.getDecoder().decode(stored), meta.sha256());
  }

  /** The highest published version, or 0. */
  public Future<Long> latestVersion(String tenant, String namespace, String function) {
    return kv.get(KvKeys.versionSeq(tenant, namespace, function))
        .map(raw -> raw == null ? 0L : Long.parseLong(raw));
  }

  /** Newest first, at most {@code limit}. */
  public Future<List<VersionMeta>> versions(String tenant, String namespace, String function, int limit) {
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

  // ---- aliases

  /**
   * Points an alias at an existing version.
   *
   * @param ifVersion when not {@code null}, the version the alias must point at now (compare-and-set);
   *                  0 means the alias must not exist yet. A mismatch fails with {@code CS_CONFLICT}.
   */
  public Future<JsonObject> setAlias(String tenant, String namespace, String function, String alias, long version,
                                     Long ifVersion) {
    return setAlias(tenant, namespace, function, alias, AliasTarget.of(version), ifVersion);
  }

  /**
   * Points an alias at an existing version, and a share of its invocations at other existing versions (see
   * {@link AliasTarget}); every version named must exist ({@code CS_NOT_FOUND} otherwise).
   *
   * @param ifVersion as above: compared with the version the alias points at now, weights aside
   */
  public Future<JsonObject> setAlias(String tenant, String namespace, String function, String alias,
                                     AliasTarget target, Long ifVersion) {
    String key = KvKeys.alias(tenant, namespace, function, alias);
    List<Future<VersionMeta>> exist = new ArrayList<>();
    return get(tenant, namespace, function, false)
        .compose(fn -> {
          long first = firstVersion(fn);
          exist.add(currentVersion(tenant, namespace, function, target.version(), first));
          target.weights().keySet().forEach(v -> exist.add(currentVersion(tenant, namespace, function, v, first)));
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
  public Future<Map<String, Long>> aliases(String tenant, String namespace, String function) {
    return aliasTargets(tenant, namespace, function).map(targets -> {
      Map<String, Long> out = new LinkedHashMap<>();
      targets.forEach((name, target) -> out.put(name, target.version()));
      return out;
    });
  }

  /** Alias name to its target (version and weights), in name order. */
  public Future<Map<String, AliasTarget>> aliasTargets(String tenant, String namespace, String function) {
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
  public Future<VersionMeta> resolve(String tenant, String namespace, String function, FunctionRef ref) {
    return resolveAll(tenant, namespace, function, ref)
        .map(resolved -> resolved.pick(ThreadLocalRandom.current().nextInt(100)));
  }

  /**
   * Resolves a ref of a live function to every version it may run (see {@link ResolvedRef}); fails
   * {@code CS_NOT_FOUND} for an unknown function, alias or version.
   */
  public Future<ResolvedRef> resolveAll(String tenant, String namespace, String function, FunctionRef ref) {
    return get(tenant, namespace, function, false).compose(fn -> {
      long first = firstVersion(fn);
      if (ref instanceof FunctionRef.Version v) {
        return currentVersion(tenant, namespace, function, v.number(), first).map(ResolvedRef::single);
      }
      if (ref instanceof FunctionRef.Alias a) {
        return kv.get(KvKeys.alias(tenant, namespace, function, a.name()))
            .compose(raw -> raw == null || new JsonObject(raw).getLong("version") < first
                ? Future.failedFuture(CsException.notFound("alias " + a.name() + " of function " + function))
                : resolveTarget(tenant, namespace, function, AliasTarget.fromStored(new JsonObject(raw))));
      }
      return latestVersion(tenant, namespace, function).compose(latest -> latest < first
          ? Future.failedFuture(CsException.notFound("a published version of function " + function))
          : version(tenant, namespace, function, latest).map(ResolvedRef::single));
    });
  }

  private Future<ResolvedRef> resolveTarget(String tenant, String namespace, String function, AliasTarget target) {
    List<Future<VersionMeta>> metas = new ArrayList<>();
    metas.add(version(tenant, namespace, function, target.version()));
    target.weights().keySet().forEach(v -> metas.add(version(tenant, namespace, function, v)));
    return Future.all(metas).map(all -> {
      Map<Long, VersionMeta> candidates = new LinkedHashMap<>();
      for (int i = 0; i < all.size(); i++) {
        VersionMeta meta = all.resultAt(i);
        candidates.put(meta.version(), meta);
      }
      return new ResolvedRef(target, candidates);
    });
  }

  /**
   * A version of the function as it is now; one of a deleted function of the same name is not found.
   *
   * @param first the function's {@link #firstVersion}
   */
  public Future<VersionMeta> currentVersion(String tenant, String namespace, String function, long version,
                                            long first) {
    return version < first
        ? Future.failedFuture(CsException.notFound("version " + version + " of function " + function))
        : version(tenant, namespace, function, version);
  }

  /** {@link #firstVersion} of a function record, for callers outside this package. */
  public static long firstVersionOf(JsonObject record) {
    return firstVersion(record);
  }
}
