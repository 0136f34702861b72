package io.codesous.store;

import io.codesous.auth.secret.SecretBox;
import io.codesous.auth.secret.SecretRedactor;
import io.codesous.kv.KvStore;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.validation.Names;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A namespace's secrets over the KV port: credentials an operator hands to functions without putting them in a
 * bundle or a manifest, where everyone who may read the function would see them.
 *
 * <p>Each secret is one record under {@link KvKeys#secret}, holding its metadata and its value sealed by
 * {@link SecretBox} (AES-GCM bound to tenant, namespace and name), so the store never holds a plaintext value and a
 * sealed value copied under another tenant's or secret's key does not open. Names are listed in
 * {@link KvKeys#secretIndex}.
 *
 * <p>Only {@link #resolve} returns values, for the activation entitled to them. Everything else answers metadata
 * ({@code name}, {@code version}, {@code created_at_ms}, {@code updated_at_ms}), and no failure's message ever
 * carries a value: callers may log and return them as they are. Failed futures carry a {@link CsException}.
 *
 * <p>Writes are safe against each other: a create is a create-only write (exactly one of concurrent creates wins),
 * a rotation a compare-and-set against the record it read. The index is written after the record and cleared after
 * it, then checked again, so every stored secret is listed; an index entry whose record is gone is skipped.
 */
public class SecretStore {

  /** Largest value, in UTF-8 bytes. */
  public static final int MAX_VALUE_BYTES = 64 * 1024;
  /**
   * Shortest value, in characters: {@link SecretRedactor} leaves shorter values in logs, so the store does not take
   * them.
   */
  public static final int MIN_VALUE_CHARS = SecretRedactor.MIN_SECRET_LENGTH;
  /** Most secrets {@link #list} answers for one namespace. */
  public static final int LIST_LIMIT = 1000;
  /** Rotations retried after losing a compare-and-set before giving up with {@code CS_CONFLICT}. */
  static final int MAX_ROTATE_ATTEMPTS = 16;

  private final KvStore kv;
  private final SecretBox box;
  private final LongSupplier clockMs;

  public SecretStore(KvStore kv, SecretBox box, LongSupplier clockMs) {
    this.kv = CatalogKvStore.of(kv);
    this.box = Objects.requireNonNull(box, "box");
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
  }

  /**
   * Stores a new secret.
   *
   * @return its metadata, version 1; fails {@code CS_CONFLICT} when the name is taken, {@code CS_VALIDATION_FAILED}
   *         for a bad name or value
   */
  public Future<JsonObject> create(String tenant, String namespace, String name, String value) {
    return validated(() -> {
      SecretInput.requireScope(tenant, namespace, name);
      SecretInput.requireValue(value);
      long now = clockMs.getAsLong();
      return SecretRecord.sealed(box, tenant, namespace, name, value, 1, now, now);
    }).compose(record -> kv.putIfAbsent(KvKeys.secret(tenant, namespace, name), record.encode(), null)
        .compose(created -> created
            ? indexAdd(tenant, namespace, name).map(v -> record.metadata())
            : Future.failedFuture(new CsException(ErrorCode.CS_CONFLICT,
                "secret " + name + " already exists; rotate it to change its value"))));
  }

  /**
   * Replaces a secret's value.
   *
   * @return its metadata with the next version; fails {@code CS_NOT_FOUND} when there is no such secret
   */
  public Future<JsonObject> rotate(String tenant, String namespace, String name, String value) {
    return validated(() -> {
      SecretInput.requireScope(tenant, namespace, name);
      SecretInput.requireValue(value);
      return name;
    }).compose(valid -> rotate(tenant, namespace, name, value, 1));
  }

  private Future<JsonObject> rotate(String tenant, String namespace, String name, String value, int attempt) {
    String key = KvKeys.secret(tenant, namespace, name);
    return kv.get(key).compose(raw -> {
      if (raw == null) {
        return Future.failedFuture(notFound(name));
      }
      SecretRecord current = SecretRecord.decode(raw);
      SecretRecord next = SecretRecord.sealed(box, tenant, namespace, name, value, current.version() + 1,
          current.createdAtMs(), clockMs.getAsLong());
      return kv.compareAndSet(key, raw, next.encode()).compose(swapped -> {
        if (swapped) {
          // Also repairs the index should the create that wrote the record have stopped before indexing it.
          return indexAdd(tenant, namespace, name).map(v -> next.metadata());
        }
        if (attempt >= MAX_ROTATE_ATTEMPTS) {
          return Future.failedFuture(new CsException(ErrorCode.CS_CONFLICT,
              "secret " + name + " kept changing concurrently; try again"));
        }
        return rotate(tenant, namespace, name, value, attempt + 1);
      });
    });
  }

  /** Removes a secret. Fails {@code CS_NOT_FOUND} when there is no such secret. */
  public Future<JsonObject> delete(String tenant, String namespace, String name) {
    return validated(() -> SecretInput.requireScope(tenant, namespace, name))
        .compose(valid -> kv.delete(KvKeys.secret(tenant, namespace, name)))
        .compose(removed -> {
          if (!removed) {
            return Future.failedFuture(notFound(name));
          }
          return kv.indexRemove(KvKeys.secretIndex(tenant, namespace), name)
              // A create of the same name may have indexed its record just before the removal: put it back.
              .compose(v -> kv.get(KvKeys.secret(tenant, namespace, name)))
              .compose(raw -> raw == null ? Future.succeededFuture() : indexAdd(tenant, namespace, name))
              .map(v -> new JsonObject().put("name", name).put("deleted", true));
        });
  }

  /** {@code {"secrets":[metadata…]}}, ordered by name, at most {@value #LIST_LIMIT}. */
  public Future<JsonObject> list(String tenant, String namespace) {
    return validated(() -> {
      Names.requireName("tenant", tenant);
      return Names.requireName("namespace", namespace);
    }).compose(valid -> kv.indexRange(KvKeys.secretIndex(tenant, namespace), LIST_LIMIT, false))
        .compose(names -> kv.getAll(names.stream().map(n -> KvKeys.secret(tenant, namespace, n)).toList()))
        .map(found -> {
          List<SecretRecord> records = new ArrayList<>();
          found.values().forEach(raw -> records.add(SecretRecord.decode(raw)));
          records.sort(Comparator.comparing(SecretRecord::name));
          JsonArray secrets = new JsonArray();
          records.forEach(record -> secrets.add(record.metadata()));
          return new JsonObject().put("secrets", secrets);
        });
  }

  /**
   * The values of the named secrets, for one activation whose manifest declares them.
   *
   * @return name to value, in the order of {@code names} (duplicates once); fails {@code CS_NOT_FOUND} naming the
   *         first missing secret, {@code CS_INTERNAL} when a stored value does not open (another key, or altered)
   */
  public Future<Map<String, String>> resolve(String tenant, String namespace, List<String> names) {
    return validated(() -> {
      Names.requireName("tenant", tenant);
      Names.requireName("namespace", namespace);
      Objects.requireNonNull(names, "names");
      LinkedHashSet<String> distinct = new LinkedHashSet<>();
      for (String name : names) {
        distinct.add(Names.requireName("secret name", name));
      }
      return List.copyOf(distinct);
    }).compose(distinct -> {
      if (distinct.isEmpty()) {
        return Future.succeededFuture(Map.of());
      }
      return kv.getAll(distinct.stream().map(n -> KvKeys.secret(tenant, namespace, n)).toList())
          .compose(found -> {
            Map<String, String> values = new LinkedHashMap<>();
            for (String name : distinct) {
              String raw = found.get(KvKeys.secret(tenant, namespace, name));
              if (raw == null) {
                return Future.failedFuture(new CsException(ErrorCode.CS_NOT_FOUND,
                    "secret " + name + " is declared by the function but does not exist in namespace "
                        + namespace));
              }
              values.put(name, SecretRecord.decode(raw).open(box, tenant, namespace, name));
            }
            return Future.succeededFuture(Collections.unmodifiableMap(values));
          });
    });
  }

  // ---- validation and helpers

  /** Runs checks that throw, as a future; so every method reports bad input the same way, through its future. */
  private static <T> Future<T> validated(Supplier<T> checks) {
    try {
      return Future.succeededFuture(checks.get());
    } catch (CsException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Void> indexAdd(String tenant, String namespace, String name) {
    return kv.indexAdd(KvKeys.secretIndex(tenant, namespace), name, 0);
  }

  private static CsException notFound(String name) {
    return CsException.notFound("secret " + name);
  }
}
