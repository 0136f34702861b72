package io.codesous.store;

import io.codesous.kv.KvStore;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an activation index to the activations whose records can still be there. A member is added at every claim
 * and was never removed, while its record expires after the retention: an index grew for as long as its function
 * ran (on Redis, memory never given back; a schedule firing every second adds 86,400 members a day, 10,000 schedules
 * a second 864 million). So members scored (started) before the retention are removed: a record is written at or
 * before its latest attempt's start and lives the retention from its first write, so such a member's record is gone.
 *
 * <p>At most once per {@link #INTERVAL_MS} per index and process, beside a claim of that index, never in its way: the
 * claim does not wait for it, and a failure is only logged (the next interval tries again). Each store call removes
 * at most {@link KvStore#MAX_TRIM} members and the next follows until fewer come back, so an index that grew for long
 * before is worked down without holding the store for long.
 */
final class ExpiredIndexMembers {

  private static final Logger LOG = LoggerFactory.getLogger(ExpiredIndexMembers.class);

  /** How often one index is trimmed at most, by one process. */
  static final long INTERVAL_MS = 60_000;
  /** Indexes remembered; one forgotten is trimmed an interval after its next claim, which is harmless. */
  private static final int REMEMBERED = 4_096;

  private final KvStore kv;
  private final LongSupplier clockMs;
  private final long retentionMs;
  /** When each index seen last was trimmed, or first seen: guarded by itself; claims come from any invoker. */
  private final Map<String, Long> trimmedAt = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > REMEMBERED;
    }
  };

  ExpiredIndexMembers(KvStore kv, LongSupplier clockMs, Duration retention) {
    this.kv = Objects.requireNonNull(kv, "kv");
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    this.retentionMs = retention.toMillis();
  }

  /**
   * Starts a trim of {@code index} if its interval has passed; an index seen for the first time is trimmed one
   * interval later, so a claim alone never waits on a trim. Completes when the trim (if any) is done; callers need
   * not wait.
   */
  Future<Integer> trimIfDue(String index) {
    long now = clockMs.getAsLong();
    synchronized (trimmedAt) {
      Long last = trimmedAt.get(index);
      if (last == null) {
        trimmedAt.put(index, now);
        return Future.succeededFuture(0);
      }
      if (now - last < INTERVAL_MS) {
        return Future.succeededFuture(0);
      }
      trimmedAt.put(index, now);
    }
    return trim(index, now - retentionMs, 0)
        .onFailure(failure -> LOG.warn("expired members of {} not removed (next try in {} ms): {}", index,
            INTERVAL_MS, failure.toString()));
  }

  private Future<Integer> trim(String index, long belowScore, int removedSoFar) {
    return kv.indexTrimBelow(index, belowScore, KvStore.MAX_TRIM).compose(removed -> removed == KvStore.MAX_TRIM
        ? trim(index, belowScore, removedSoFar + removed)
        : Future.succeededFuture(removedSoFar + removed));
  }
}
