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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
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
  private final VersionRecords versions;
  private final FunctionRecords records;
  private final AliasRecords aliases;

  public FunctionStore(KvStore kv, LongSupplier clockMs) {
    this.kv = CatalogKvStore.of(kv);
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    this.versions = new VersionRecords(this.kv);
    this.records = new FunctionRecords(this.kv, this.clockMs, versions);
    this.aliases = new AliasRecords(this.kv, this.clockMs, records, versions);
  }

  // ---- functions

  /**
   * Creates a function, or creates again one that was deleted. A function created again keeps its name's version
   * sequence: its versions start after the deleted one's ({@code first_version}), and the deleted one's versions stay
   * readable with {@code include_deleted} but are never resolved, invoked or aliased again.
   */
  public Future<JsonObject> create(String tenant, String namespace, String name) {
    return records.create(tenant, namespace, name);
  }

  /** The function record; fails with {@code CS_NOT_FOUND} when absent or (unless asked) deleted. */
  public Future<JsonObject> get(String tenant, String namespace, String name, boolean includeDeleted) {
    return records.get(tenant, namespace, name, includeDeleted);
  }

  public Future<List<JsonObject>> list(String tenant, String namespace, boolean includeDeleted, int limit) {
    return records.list(tenant, namespace, includeDeleted, limit);
  }

  /** Soft delete: sets {@code deleted_at_ms}; versions, aliases and activations stay readable by id. */
  public Future<JsonObject> softDelete(String tenant, String namespace, String name) {
    return records.softDelete(tenant, namespace, name);
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

  /**
   * The stored text of a draft (its manifest and its bundle, base64), not yet parsed or decoded, or {@code null} when
   * there is none (expired, published and gone, or never stored): callers that must keep their event loop free hand
   * it to {@link #decodeDraft} on a worker.
   */
  public Future<String> storedDraft(String tenant, String namespace, String function, String draftId) {
    return kv.get(KvKeys.draft(tenant, namespace, function, draftId));
  }

  /** A draft's manifest and its bundle, verified against the hash it was stored with: CPU work for a worker. */
  public static StoredDraft decodeDraft(String stored) {
    JsonObject draft = new JsonObject(stored);
    return new StoredDraft(Manifest.fromStored(draft.getJsonObject("manifest")),
        VersionRecords.decodeBundle(draft.getString("bundle"), draft.getString("sha256")));
  }

  /** A draft as {@link #decodeDraft} reads it. */
  public record StoredDraft(Manifest manifest, BundleFiles bundle) {
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
        .compose(fn -> storedDraft(tenant, namespace, function, draftId)
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
    return latestVersion(tenant, namespace, function).compose(latest -> latest < FunctionRecords.firstVersion(fn)
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
        : aliases.setAlias(tenant, namespace, function, alias, same.version(), null).map(set -> answer.put("alias", alias));
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
    return versions.version(tenant, namespace, function, version);
  }

  /** The bundle of a version, verified against the hash its metadata recorded. */
  public Future<BundleFiles> bundle(String tenant, String namespace, String function, VersionMeta meta) {
    return versions.bundle(tenant, namespace, function, meta);
  }

  /**
   * The stored text of a version's bundle, not yet decoded: callers that must keep their event loop free
   * hand it to {@link #decodeBundle} on a worker.
   */
  public Future<String> storedBundle(String tenant, String namespace, String function, VersionMeta meta) {
    return versions.storedBundle(tenant, namespace, function, meta);
  }

  /**
   * Decodes a stored bundle and verifies it against the hash its version recorded: base64, tar and sha256 over
   * up to the bundle limit, CPU work that belongs off the event loops.
   */
  public static BundleFiles decodeBundle(String stored, VersionMeta meta) {
    return VersionRecords.decodeBundle(stored, meta);
  }

  /** The highest published version, or 0. */
  public Future<Long> latestVersion(String tenant, String namespace, String function) {
    return versions.latestVersion(tenant, namespace, function);
  }

  /** Newest first, at most {@code limit}. */
  public Future<List<VersionMeta>> versions(String tenant, String namespace, String function, int limit) {
    return versions.versions(tenant, namespace, function, limit);
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
    return aliases.setAlias(tenant, namespace, function, alias, version, ifVersion);
  }

  /**
   * Points an alias at an existing version, and a share of its invocations at other existing versions (see
   * {@link AliasTarget}); every version named must exist ({@code CS_NOT_FOUND} otherwise).
   *
   * @param ifVersion as above: compared with the version the alias points at now, weights aside
   */
  public Future<JsonObject> setAlias(String tenant, String namespace, String function, String alias,
                                     AliasTarget target, Long ifVersion) {
    return aliases.setAlias(tenant, namespace, function, alias, target, ifVersion);
  }

  /** Alias name to version, in name order. */
  public Future<Map<String, Long>> aliases(String tenant, String namespace, String function) {
    return aliases.aliases(tenant, namespace, function);
  }

  /** Alias name to its target (version and weights), in name order. */
  public Future<Map<String, AliasTarget>> aliasTargets(String tenant, String namespace, String function) {
    return aliases.aliasTargets(tenant, namespace, function);
  }

  /**
   * Resolves a ref of a live (not deleted) function to a published version; a weighted alias draws one of its
   * versions at random, in its shares.
   *
   * @return the version's metadata; fails {@code CS_NOT_FOUND} for an unknown function, alias or version
   */
  public Future<VersionMeta> resolve(String tenant, String namespace, String function, FunctionRef ref) {
    return aliases.resolve(tenant, namespace, function, ref);
  }

  /**
   * Resolves a ref of a live function to every version it may run (see {@link ResolvedRef}); fails
   * {@code CS_NOT_FOUND} for an unknown function, alias or version.
   */
  public Future<ResolvedRef> resolveAll(String tenant, String namespace, String function, FunctionRef ref) {
    return aliases.resolveAll(tenant, namespace, function, ref);
  }

  /**
   * A version of the function as it is now; one of a deleted function of the same name is not found.
   *
   * @param first the function's {@link #firstVersionOf}
   */
  public Future<VersionMeta> currentVersion(String tenant, String namespace, String function, long version,
                                            long first) {
    return versions.currentVersion(tenant, namespace, function, version, first);
  }

  /** The first version of a function record: versions below it belong to a deleted function of that name. */
  public static long firstVersionOf(JsonObject record) {
    return FunctionRecords.firstVersion(record);
  }
}
