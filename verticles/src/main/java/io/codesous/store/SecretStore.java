package io.codesous.store;

import io.codesous.auth.secret.SecretBox;
import io.codesous.auth.secret.SecretBoxException;
import io.codesous.auth.secret.SecretRedactor;
import io.codesous.kv.KvStore;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.validation.Names;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
      requireScope(tenant, namespace, name);
      requireValue(value);
      long now = clockMs.getAsLong();
      return Record.sealed(box, tenant, namespace, name, value, 1, now, now);
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
      requireScope(tenant, namespace, name);
      requireValue(value);
      return name;
    }).compose(valid -> rotate(tenant, namespace, name, value, 1));
  }

  private Future<JsonObject> rotate(String tenant, String namespace, String name, String value, int attempt) {
    String key = KvKeys.secret(tenant, namespace, name);
    return kv.get(key).compose(raw -> {
      if (raw == null) {
        return Future.failedFuture(notFound(name));
      }
      Record current = Record.decode(raw);
      Record next = Record.sealed(box, tenant, namespace, name, value, current.version() + 1,
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
    return validated(() -> requireScope(tenant, namespace, name))
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
          List<Record> records = new ArrayList<>();
          found.values().forEach(raw -> records.add(Record.decode(raw)));
          records.sort(Comparator.comparing(Record::name));
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
              values.put(name, Record.decode(raw).open(box, tenant, namespace, name));
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

  private static String requireScope(String tenant, String namespace, String name) {
    Names.requireName("tenant", tenant);
    Names.requireName("namespace", namespace);
    return Names.requireName("name", name);
  }

  /** Checks a value without ever putting it (or any part of it) into a message. */
  private static void requireValue(String value) {
    if (value == null) {
      throw CsException.validation("value", "is required");
    }
    if (value.length() < MIN_VALUE_CHARS) {
      throw CsException.validation("value", "must be at least " + MIN_VALUE_CHARS + " characters long");
    }
    // Every char takes at least one byte in UTF-8, so a longer string is refused before it is encoded.
    if (value.length() > MAX_VALUE_BYTES || utf8Length(value) > MAX_VALUE_BYTES) {
      throw CsException.validation("value", "must be at most " + MAX_VALUE_BYTES + " bytes in UTF-8");
    }
  }

  /** The UTF-8 length; refuses text with unpaired surrogates, which would not come back as it was given. */
  private static long utf8Length(String value) {
    try {
      ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(value));
      long length = bytes.remaining();
      Arrays.fill(bytes.array(), (byte) 0);
      return length;
    } catch (CharacterCodingException e) {
      throw CsException.validation("value", "must be valid Unicode text");
    }
  }

  private Future<Void> indexAdd(String tenant, String namespace, String name) {
    return kv.indexAdd(KvKeys.secretIndex(tenant, namespace), name, 0);
  }

  private static CsException notFound(String name) {
    return CsException.notFound("secret " + name);
  }

  /**
   * One stored secret: metadata and the sealed value.
   *
   * @param sealed the {@link SecretBox} envelope of the value
   */
  private record Record(String name, long version, long createdAtMs, long updatedAtMs, String sealed) {

    static Record sealed(SecretBox box, String tenant, String namespace, String name, String value, long version,
                         long createdAtMs, long updatedAtMs) {
      byte[] plaintext = value.getBytes(StandardCharsets.UTF_8);
      try {
        return new Record(name, version, createdAtMs, updatedAtMs, box.encrypt(tenant, namespace, name, plaintext));
      } catch (SecretBoxException e) {
        throw new CsException(ErrorCode.CS_INTERNAL, "secret " + name + " could not be sealed", null, e);
      } finally {
        Arrays.fill(plaintext, (byte) 0);
      }
    }

    static Record decode(String raw) {
      JsonObject json = new JsonObject(raw);
      return new Record(json.getString("name"), json.getLong("version"), json.getLong("created_at_ms"),
          json.getLong("updated_at_ms"), json.getString("sealed"));
    }

    String encode() {
      return metadata().put("sealed", sealed).encode();
    }

    /** What callers may see: everything but the sealed value. */
    JsonObject metadata() {
      return new JsonObject().put("name", name).put("version", version).put("created_at_ms", createdAtMs)
          .put("updated_at_ms", updatedAtMs);
    }

    /**
     * The value, opened for the secret the caller asked for by key: not for the name the record says, so a record
     * copied under another secret's key does not open there.
     */
    String open(SecretBox box, String tenant, String namespace, String requestedName) {
      try {
        byte[] plaintext = box.decrypt(tenant, namespace, requestedName, sealed);
        try {
          return new String(plaintext, StandardCharsets.UTF_8);
        } finally {
          Arrays.fill(plaintext, (byte) 0);
        }
      } catch (SecretBoxException e) {
        // The box's message is fixed and carries nothing of the value; the cause is left out all the same.
        throw new CsException(ErrorCode.CS_INTERNAL, "secret " + requestedName + " could not be decrypted");
      }
    }

    @Override
    public String toString() {
      return "Record[name=" + name + ", version=" + version + "]";
    }
  }
}
