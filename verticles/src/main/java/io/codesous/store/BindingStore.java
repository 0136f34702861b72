package io.codesous.store;

import io.codesous.kv.KvStore;
import io.codesous.spec.error.CsException;
import io.codesous.spec.kv.KvKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Cadence worker bindings over the KV port: one document per binding ({@link KvKeys#binding}) holding the
 * validated spec, who wrote it and when, and a platform-wide registry the pollers walk. Failed futures carry a
 * {@link CsException}.
 */
public class BindingStore {

  private final KvStore kv;
  private final LongSupplier clockMs;

  public BindingStore(KvStore kv, LongSupplier clockMs) {
    this.kv = CatalogKvStore.of(kv);
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
  }

  /** Creates or replaces a binding; the document's {@code updated_at_ms} tells a poller that it changed. */
  public Future<JsonObject> put(String tenant, String namespace, String name, BindingSpec spec, JsonObject principal) {
    long now = clockMs.getAsLong();
    String key = KvKeys.binding(tenant, namespace, name);
    return kv.get(key).compose(raw -> {
      JsonObject doc = new JsonObject().put("tenant", tenant).put("namespace", namespace).put("name", name)
          .put("spec", spec.toJson()).put("principal", principal)
          .put("created_at_ms", raw == null ? now : new JsonObject(raw).getLong("created_at_ms"))
          .put("updated_at_ms", now);
      return kv.put(key, doc.encode())
          .compose(v -> kv.indexAdd(KvKeys.bindingIndex(tenant, namespace), name, 0))
          .compose(v -> kv.indexAdd(KvKeys.bindingRegistry(), registryEntry(tenant, namespace, name), 0))
          .map(doc);
    });
  }

  /** The stored document; {@code CS_NOT_FOUND} when there is none. */
  public Future<JsonObject> get(String tenant, String namespace, String name) {
    return kv.get(KvKeys.binding(tenant, namespace, name)).compose(raw -> raw == null
        ? Future.failedFuture(CsException.notFound("binding " + name))
        : Future.succeededFuture(new JsonObject(raw)));
  }

  /** The namespace's bindings, by name. */
  public Future<List<JsonObject>> list(String tenant, String namespace, int limit) {
    return kv.indexRange(KvKeys.bindingIndex(tenant, namespace), limit, false)
        .compose(names -> kv.getAll(names.stream().map(n -> KvKeys.binding(tenant, namespace, n)).toList())
            .map(found -> {
              List<JsonObject> out = new ArrayList<>();
              for (String n : names) {
                String raw = found.get(KvKeys.binding(tenant, namespace, n));
                if (raw != null) {
                  out.add(new JsonObject(raw));
                }
              }
              return out;
            }));
  }

  public Future<JsonObject> delete(String tenant, String namespace, String name) {
    return get(tenant, namespace, name)
        .compose(doc -> kv.delete(KvKeys.binding(tenant, namespace, name))
            .compose(v -> kv.indexRemove(KvKeys.bindingIndex(tenant, namespace), name))
            .compose(v -> kv.indexRemove(KvKeys.bindingRegistry(), registryEntry(tenant, namespace, name)))
            .map(v -> new JsonObject().put("name", name).put("deleted", true)));
  }

  /** Every binding document of the deployment, keyed by {@code tenant:namespace:name}: the pollers' work list. */
  public Future<Map<String, JsonObject>> all(int limit) {
    return kv.indexRange(KvKeys.bindingRegistry(), limit, false)
        .compose(entries -> kv.getAll(entries.stream().map(BindingStore::keyOf).toList()).map(found -> {
          Map<String, JsonObject> out = new java.util.LinkedHashMap<>();
          for (String entry : entries) {
            String raw = found.get(keyOf(entry));
            if (raw != null) {
              out.put(entry, new JsonObject(raw));
            }
          }
          return out;
        }));
  }

  private static String registryEntry(String tenant, String namespace, String name) {
    return tenant + ":" + namespace + ":" + name;
  }

  private static String keyOf(String registryEntry) {
    String[] p = registryEntry.split(":", 3);
    return KvKeys.binding(p[0], p[1], p[2]);
  }

  /** The public view: the name, the spec's members, and the times. */
  public static JsonObject view(JsonObject doc) {
    return new JsonObject().put("name", doc.getString("name")).mergeIn(doc.getJsonObject("spec"))
        .put("created_at_ms", doc.getValue("created_at_ms")).put("updated_at_ms", doc.getValue("updated_at_ms"));
  }
}
