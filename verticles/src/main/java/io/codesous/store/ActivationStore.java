package io.codesous.store;

import io.codesous.kv.KvStore;
import io.codesous.spec.error.CsException;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.model.ActivationOutcome;
import io.codesous.spec.model.ActivationRecord;
import io.codesous.spec.model.ActivationStatus;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Activation records ({@link ActivationRecord}, which owns their moves) and their logs. A record moves
 * queued → running → one terminal status, and every move is a compare-and-set against the record last read, so concurrent deliveries of one
 * activation id end in exactly one terminal record. Records and logs expire after the retention.
 */
public class ActivationStore {

  private static final Logger LOG = LoggerFactory.getLogger(ActivationStore.class);

  /** Log entries per stored chunk: bounds one value's size and lets readers page. */
  public static final int LOG_CHUNK_ENTRIES = ActivationLogs.CHUNK_ENTRIES;

  private final KvStore kv;
  private final LongSupplier clockMs;
  private final Duration retention;
  private final ActivationLogs logs;
  private final ExpiredIndexMembers expired;

  public ActivationStore(KvStore kv, LongSupplier clockMs, Duration retention) {
    this.kv = CatalogKvStore.of(kv);
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.logs = new ActivationLogs(this.kv, retention);
    this.expired = new ExpiredIndexMembers(this.kv, clockMs, retention);
  }

  /** What a claim found. */
  public sealed interface Claim {
    /** This delivery owns the run; {@code record} is the running record as written. */
    record Owned(ActivationRecord record) implements Claim {
    }

    /** The activation already ended; {@code record} is its terminal record. */
    record Done(ActivationRecord record) implements Claim {
    }

    /**
     * Another attempt holds the run and its lease has not run out: its invoker may well be alive
     * (a rebalance handed this copy of the message out while the first still runs). Running it
     * here too would execute the code twice; ask again once {@code leaseUntilMs} has passed.
     */
    record Busy(ActivationRecord record, long leaseUntilMs) implements Claim {
    }
  }

  public Future<ActivationRecord> get(String tenant, String namespace, String activationId) {
    return kv.get(KvKeys.activation(tenant, namespace, activationId))
        .compose(raw -> raw == null
            ? Future.failedFuture(CsException.notFound("activation " + activationId))
            : Future.succeededFuture(ActivationRecord.decode(raw)));
  }

  /**
   * The activation an idempotency key stands for. {@code first}: this call created the key and must start the
   * activation (or {@link #releaseIdempotencyKey release} the key if it cannot); otherwise the key existed and
   * {@code sameRequest} says whether the earlier request had the same fingerprint.
   */
  public record IdempotentCall(String activationId, boolean first, boolean sameRequest) {
  }

  /**
   * Binds {@code keySha256} to {@code activationId} with a create-only write that lives {@code ttl}, or reads the
   * binding an earlier call made. Two concurrent calls with one key: exactly one is {@code first}.
   */
  public Future<IdempotentCall> claimIdempotencyKey(String tenant, String namespace, String function,
                                                    String keySha256, String requestSha256, String activationId,
                                                    Duration ttl) {
    String key = KvKeys.idempotency(tenant, namespace, function, keySha256);
    String binding = new JsonObject().put("activation_id", activationId).put("request_sha256", requestSha256).encode();
    return kv.putIfAbsent(key, binding, ttl).compose(created -> created
        ? Future.succeededFuture(new IdempotentCall(activationId, true, true))
        : kv.get(key).compose(raw -> {
          if (raw == null) {
            // the binding expired between the two calls: this call is the first of a new window
            return claimIdempotencyKey(tenant, namespace, function, keySha256, requestSha256, activationId, ttl);
          }
          JsonObject earlier = new JsonObject(raw);
          return Future.succeededFuture(new IdempotentCall(earlier.getString("activation_id"), false,
              requestSha256.equals(earlier.getString("request_sha256"))));
        }));
  }

  /** Frees a key whose first call started nothing (the queue refused it), so a retry can start the activation. */
  public Future<Boolean> releaseIdempotencyKey(String tenant, String namespace, String function, String keySha256) {
    return kv.delete(KvKeys.idempotency(tenant, namespace, function, keySha256));
  }

  /**
   * Records that a request is waiting in the queue, unless the invoker already recorded more.
   * Used when a caller stops waiting, so the id it was given is readable at once.
   */
  public Future<Boolean> markQueued(InvocationRequest request) {
    return kv.putIfAbsent(KvKeys.activation(request.tenant(), request.namespace(), request.activationId()),
        ActivationRecord.queued(request).encode(), retention);
  }

  /**
   * Takes ownership of running an activation for {@code leaseMs}: long enough for the run to end
   * (its timeout, which the watchdog enforces, plus a margin). A record left running by an earlier
   * delivery whose lease ran out means that attempt was lost (its invoker died): it stays visible
   * in {@code attempts} with outcome {@code lost}, and this delivery runs the next attempt. While
   * the lease holds, the claim is {@link Claim.Busy} — unless the attempt is {@code invokerId}'s own
   * and {@code ownAttemptEnded}: an invoker knows when it no longer runs an activation (it gave the
   * message back after a backend failure), so it need not wait out its own lease.
   */
  public Future<Claim> claim(InvocationRequest request, String invokerId, long leaseMs, boolean ownAttemptEnded) {
    String key = KvKeys.activation(request.tenant(), request.namespace(), request.activationId());
    // almost always the first delivery, with no record yet: write the first attempt without reading
    // first (one round trip less); a record that is there after all is read and judged below
    ActivationRecord first = ActivationRecord.firstAttempt(request, invokerId, clockMs.getAsLong(), leaseMs);
    String index = KvKeys.activationIndex(request.tenant(), request.namespace(), request.function());
    // the record and its index member in one call: a backend may write both in one task or round trip
    return kv.putIfAbsentThenIndexAdd(key, first.encode(), retention, index, request.activationId(), first.startMs())
        .compose(written -> written ? Future.succeededFuture((Claim) new Claim.Owned(first))
            : claimAgainstRecord(key, request, invokerId, leaseMs, ownAttemptEnded))
        .andThen(claimed -> {
          if (claimed.succeeded() && claimed.result() instanceof Claim.Owned) {
            expired.trimIfDue(index);
          }
        });
  }

  private Future<Claim> claimAgainstRecord(String key, InvocationRequest request, String invokerId, long leaseMs,
                                           boolean ownAttemptEnded) {
    return kv.get(key).compose(raw -> {
      ActivationRecord current = raw == null ? null : ActivationRecord.decode(raw);
      if (current != null && current.status().terminal()) {
        return Future.succeededFuture(new Claim.Done(current));
      }
      long now = clockMs.getAsLong();
      if (current != null && current.status() == ActivationStatus.RUNNING && current.leaseUntilMs() > now
          && !(ownAttemptEnded && invokerId.equals(current.attemptInvoker()))) {
        return Future.succeededFuture(new Claim.Busy(current, current.leaseUntilMs()));
      }
      ActivationRecord running = current == null
          ? ActivationRecord.firstAttempt(request, invokerId, now, leaseMs)
          : current.nextAttempt(request, invokerId, now, leaseMs);
      // the first write sets the retention; later compare-and-sets keep it
      Future<Boolean> write = raw == null
          ? kv.putIfAbsent(key, running.encode(), retention)
          : kv.compareAndSet(key, raw, running.encode());
      return write.compose(swapped -> swapped ? indexed(request, running)
          : claimAgainstRecord(key, request, invokerId, leaseMs, ownAttemptEnded));
    });
  }

  private Future<Claim> indexed(InvocationRequest request, ActivationRecord running) {
    return kv.indexAdd(KvKeys.activationIndex(request.tenant(), request.namespace(), request.function()),
            request.activationId(), running.startMs())
        .map(v -> (Claim) new Claim.Owned(running));
  }

  /**
   * Writes the terminal record unless another delivery already did, or another attempt took the
   * run over after this one's lease ran out. The record that stands is returned: this one's
   * terminal record, an earlier terminal record, or (taken over) the newer attempt's running record,
   * whose owner answers. An attempt that ran to its end after all is never hidden: its entry in
   * {@code attempts} gets outcome {@code superseded} and the status it ended with as {@code ran_to}.
   *
   * @param running the record this delivery wrote when it claimed the run
   */
  public Future<ActivationRecord> complete(ActivationRecord running, ActivationOutcome outcome) {
    String key = KvKeys.activation(running.tenant(), running.namespace(), running.activationId());
    // usually the record is still the one this attempt wrote: swap against it without reading
    // first (one round trip less); anything else is read and judged below
    ActivationRecord terminal = running.ended(outcome);
    return kv.compareAndSet(key, running.encode(), terminal.encode())
        .compose(swapped -> swapped ? Future.succeededFuture(terminal)
            : completeAgainstRecord(key, running, outcome));
  }

  private Future<ActivationRecord> completeAgainstRecord(String key, ActivationRecord running,
                                                         ActivationOutcome outcome) {
    int ours = running.attempt();
    return kv.get(key).compose(raw -> {
      ActivationRecord current = raw == null ? running : ActivationRecord.decode(raw);
      if (current.status().terminal() || current.attempt() != ours) {
        return superseded(key, raw, current, ours, outcome);
      }
      ActivationRecord terminal = current.ended(outcome);
      Future<Boolean> write = raw == null
          ? kv.putIfAbsent(key, terminal.encode(), retention)
          : kv.compareAndSet(key, raw, terminal.encode());
      return write
          .compose(swapped -> swapped ? Future.succeededFuture(terminal)
              : completeAgainstRecord(key, running, outcome));
    });
  }

  /** Notes on its attempt entry that a run which lost its claim still ended; the record's status stays. */
  private Future<ActivationRecord> superseded(String key, String raw, ActivationRecord current, int ours,
                                              ActivationOutcome outcome) {
    if (raw == null) {
      return Future.succeededFuture(current);
    }
    ActivationRecord updated = current.superseded(ours, outcome).orElse(null);
    if (updated == null) {
      return Future.succeededFuture(current);
    }
    return kv.compareAndSet(key, raw, updated.encode())
        .compose(swapped -> swapped ? Future.succeededFuture(updated)
            : kv.get(key)
                .compose(again -> again == null ? Future.succeededFuture(current)
                    : superseded(key, again, ActivationRecord.decode(again), ours, outcome)));
  }

  /**
   * Stores log entries (JSON objects) in chunks of {@link #LOG_CHUNK_ENTRIES}, before the
   * terminal record, so a terminal record never points at logs that are not there yet.
   *
   * @return the number of chunks written
   */
  public Future<Integer> writeLogs(String tenant, String namespace, String activationId, List<JsonObject> entries) {
    return logs.write(tenant, namespace, activationId, entries);
  }

  /**
   * Stores one chunk of a running attempt's log (entries as JSON objects, in order) as it is written, for
   * followers; it lives {@code ttl}, which must outlast the attempt (the stored logs take over when it ends).
   */
  public Future<Void> writeLiveLogs(String tenant, String namespace, String activationId, int attempt, int chunk,
                                    JsonArray entries, Duration ttl) {
    return logs.writeLive(tenant, namespace, activationId, attempt, chunk, entries, ttl);
  }

  /** A chunk {@link #writeLiveLogs} stored, or {@code null} while it is not written (yet). */
  public Future<JsonArray> liveLogs(String tenant, String namespace, String activationId, int attempt, int chunk) {
    return logs.readLive(tenant, namespace, activationId, attempt, chunk);
  }

  /** {@code {"activation_id","status","logs":[...],"truncated"}}: every entry; an activation still running has none. */
  public Future<JsonObject> logs(String tenant, String namespace, String activationId) {
    return logs(tenant, namespace, activationId, 0, Integer.MAX_VALUE);
  }

  /**
   * One page of an activation's log entries: those from index {@code from} (0 for the first), at most {@code limit}.
   * Only the chunks the page covers are read. The answer is {@code {"activation_id","status","logs":[...],
   * "truncated"}} plus {@code "next": index} when entries follow the page. An activation still running has none yet:
   * its logs are stored when it ends (until then followers read {@link #liveLogs}).
   */
  public Future<JsonObject> logs(String tenant, String namespace, String activationId, int from, int limit) {
    return get(tenant, namespace, activationId)
        .compose(record -> logs.page(tenant, namespace, activationId, record, from, limit));
  }

  /**
   * Newest first; records that expired are left out. A record that cannot be read (written before error texts were
   * capped, it may hold a string past the JSON reader's limit) is left out too and logged: one bad activation must
   * not break the list of its function.
   */
  public Future<List<ActivationRecord>> list(String tenant, String namespace, String function, int limit) {
    return kv.indexRange(KvKeys.activationIndex(tenant, namespace, function), limit, true)
        .compose(ids -> kv.getAll(ids.stream().map(id -> KvKeys.activation(tenant, namespace, id)).toList())
            .map(found -> {
              List<ActivationRecord> out = new ArrayList<>();
              for (String id : ids) {
                String raw = found.get(KvKeys.activation(tenant, namespace, id));
                if (raw != null) {
                  try {
                    out.add(ActivationRecord.decode(raw));
                  } catch (DecodeException unreadable) {
                    LOG.warn("activation {} of {}/{}/{} left out of its list: its record ({} characters) cannot be "
                        + "read: {}", id, tenant, namespace, function, raw.length(), unreadable.getMessage());
                  }
                }
              }
              return out;
            }));
  }
}
