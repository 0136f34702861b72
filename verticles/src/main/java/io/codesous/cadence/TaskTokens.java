package io.codesous.cadence;

import io.codesous.kv.KvStore;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.model.ActivationRecord;
import io.codesous.store.BindingSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * The token map: for every task published and not yet answered, what any poller needs to answer it after a
 * restart — the task token, the activation id, when it was taken — under the token's hash
 * ({@link KvKeys#cadenceTask}), with a reverse entry by activation id ({@link KvKeys#cadenceActivation}). Both
 * are deleted once Cadence accepted the answer, and expire on their own a day after the task's schedule-to-close
 * timeout, by which time Cadence has long given up on it.
 */
final class TaskTokens {

  /** What a stored entry says. */
  record Entry(String tokenHash, byte[] token, String activationId, long createdAtMs, JsonObject identifiers,
               String workerId, double heartbeatsPerSecond) {
  }

  private static final Duration AFTER_CLOSE = Duration.ofDays(1);

  private final KvStore kv;

  TaskTokens(KvStore kv) {
    this.kv = Objects.requireNonNull(kv, "kv");
  }

  /** Records the task; {@code false} when it was recorded before (the same task handed out twice). */
  Future<Boolean> record(ActivityTask task, BindingSpec spec, InvocationRequest request, long nowMs) {
    Duration ttl = Duration.ofSeconds(Math.max(0, task.scheduleToCloseSeconds())).plus(AFTER_CLOSE);
    JsonObject entry = new JsonObject().put("token_base64", Base64.getEncoder().encodeToString(task.token()))
        .put("activation_id", task.activationId()).put("created_at_ms", nowMs)
        .put("task", task.identifiers().put("binding", task.binding())).put("worker_id", spec.workerId())
        .put("heartbeats_per_second", spec.heartbeatsPerSecond())
        .put("queued", ActivationRecord.queued(request).toJson());
    String hash = task.tokenHash();
    return kv.putIfAbsent(KvKeys.cadenceTask(task.tenant(), task.namespace(), hash), entry.encode(), ttl)
        .compose(fresh -> !fresh ? Future.succeededFuture(false)
            : kv.put(KvKeys.cadenceActivation(task.tenant(), task.namespace(), task.activationId()), hash, ttl)
                .map(true));
  }

  /** The entry of an activation, or {@code null} when it was answered (or never was a task of a poller). */
  Future<Entry> lookup(String tenant, String namespace, String activationId) {
    return kv.get(KvKeys.cadenceActivation(tenant, namespace, activationId)).compose(hash -> hash == null
        ? Future.succeededFuture()
        : kv.get(KvKeys.cadenceTask(tenant, namespace, hash)).map(raw -> {
          if (raw == null) {
            return null;
          }
          JsonObject json = new JsonObject(raw);
          return new Entry(hash, Base64.getDecoder().decode(json.getString("token_base64")),
              json.getString("activation_id"), json.getLong("created_at_ms"), json.getJsonObject("task"),
              json.getString("worker_id"), json.getDouble("heartbeats_per_second"));
        }));
  }

  /** The record an activation of a task not answered yet has while it waits for an invoker, or {@code null}. */
  Future<ActivationRecord> queued(String tenant, String namespace, String activationId) {
    return kv.get(KvKeys.cadenceActivation(tenant, namespace, activationId)).compose(hash -> hash == null
        ? Future.succeededFuture()
        : kv.get(KvKeys.cadenceTask(tenant, namespace, hash)).map(raw -> {
          JsonObject queued = raw == null ? null : new JsonObject(raw).getJsonObject("queued");
          return queued == null ? null : ActivationRecord.fromJson(queued);
        }));
  }

  Future<Void> forget(String tenant, String namespace, Entry entry) {
    return kv.delete(KvKeys.cadenceTask(tenant, namespace, entry.tokenHash()))
        .compose(v -> kv.delete(KvKeys.cadenceActivation(tenant, namespace, entry.activationId())))
        .mapEmpty();
  }
}
