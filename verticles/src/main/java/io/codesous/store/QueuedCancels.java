package io.codesous.store;

import io.codesous.kv.KvStore;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.model.ActivationOutcome;
import io.codesous.spec.model.ActivationRecord;
import io.codesous.spec.model.ActivationStatus;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Cancels an activation that no invoker has claimed yet by writing its terminal {@code cancelled} record: a queued
 * record is swapped for it (compare-and-set), and an activation that has no record yet gets it create-only. The
 * invoker that later takes the request finds the record ended at its usual claim (the create-only write it makes
 * first fails and the record it then reads is terminal), so it publishes the cancelled result and never runs the
 * code: no extra round trip on the claim path. A claimed (running) or ended activation is left as it is and
 * reported, so the caller can ask the running attempt's invoker to stop it, or refuse.
 */
public final class QueuedCancels {

  /** What a cancel found. */
  public sealed interface Found {
    /** The activation was not claimed yet and is {@code cancelled} now; {@code record} is that record. */
    record Cancelled(ActivationRecord record) implements Found {
    }

    /** An invoker claimed the activation and runs (or is about to run) it: ask that invoker to stop it. */
    record Running(ActivationRecord record) implements Found {
    }

    /** The activation had already ended. */
    record Ended(ActivationRecord record) implements Found {
    }

    /** Nothing is known of the activation. */
    record Missing() implements Found {
    }
  }

  /**
   * Where activations that wait for an invoker without a record can be found (the Cadence poller's token map):
   * the record each would have as queued, or {@code null}.
   */
  @FunctionalInterface
  public interface Unclaimed {
    Unclaimed NONE = (tenant, namespace, activationId) -> Future.succeededFuture();

    Future<ActivationRecord> queued(String tenant, String namespace, String activationId);
  }

  static final String MESSAGE = "cancelled before it started";

  private final KvStore kv;
  private final LongSupplier clockMs;
  private final Duration retention;

  public QueuedCancels(KvStore kv, LongSupplier clockMs, Duration retention) {
    this.kv = CatalogKvStore.of(kv);
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    this.retention = Objects.requireNonNull(retention, "retention");
  }

  /** Cancels an activation that has a record, or reports {@link Found.Missing} when it has none. */
  public Future<Found> cancel(String tenant, String namespace, String activationId) {
    String key = KvKeys.activation(tenant, namespace, activationId);
    return kv.get(key).compose(raw -> raw == null ? Future.succeededFuture(new Found.Missing())
        : againstRecord(key, raw));
  }

  /**
   * Cancels an activation: its record if it has one, else the record {@code unclaimed} knows it would have.
   */
  public Future<Found> cancel(String tenant, String namespace, String activationId, Unclaimed unclaimed) {
    return cancel(tenant, namespace, activationId).compose(found -> !(found instanceof Found.Missing) ? Future.succeededFuture(found)
        : unclaimed.queued(tenant, namespace, activationId).compose(queued -> queued == null
            ? Future.succeededFuture(found) : cancelUnclaimed(queued)));
  }

  /**
   * Cancels an activation known to be waiting for an invoker, {@code queued} being the record it would have as
   * queued: written {@code cancelled} create-only when it has no record yet, else judged against the record there.
   */
  public Future<Found> cancelUnclaimed(ActivationRecord queued) {
    String key = KvKeys.activation(queued.tenant(), queued.namespace(), queued.activationId());
    ActivationRecord cancelled = cancelledFrom(queued);
    return kv.putIfAbsent(key, cancelled.encode(), retention).compose(created -> created
        ? indexed(cancelled)
        : kv.get(key).compose(raw -> raw == null ? cancelUnclaimed(queued) : againstRecord(key, raw)));
  }

  private Future<Found> againstRecord(String key, String raw) {
    ActivationRecord current = ActivationRecord.decode(raw);
    if (current.status().terminal()) {
      return Future.succeededFuture(new Found.Ended(current));
    }
    if (current.status() == ActivationStatus.RUNNING) {
      return Future.succeededFuture(new Found.Running(current));
    }
    ActivationRecord cancelled = cancelledFrom(current);
    return kv.compareAndSet(key, raw, cancelled.encode()).compose(swapped -> swapped ? indexed(cancelled)
        // an invoker claimed it meanwhile (or another cancel won): judge what is there now
        : kv.get(key).compose(again -> again == null ? Future.succeededFuture(new Found.Missing())
            : againstRecord(key, again)));
  }

  private ActivationRecord cancelledFrom(ActivationRecord queued) {
    long now = clockMs.getAsLong();
    return queued.ended(ActivationOutcome.failed(ActivationStatus.CANCELLED, now, now,
        ErrorCode.CS_CANCELLED.name(), MESSAGE));
  }

  /** Listed with its function's activations, like a record an invoker claimed. */
  private Future<Found> indexed(ActivationRecord cancelled) {
    String function = cancelled.toJson().getString(ActivationRecord.FUNCTION);
    Future<Void> index = function == null ? Future.succeededFuture()
        : kv.indexAdd(KvKeys.activationIndex(cancelled.tenant(), cancelled.namespace(), function),
            cancelled.activationId(), cancelled.startMs());
    return index.map(v -> new Found.Cancelled(cancelled));
  }
}
