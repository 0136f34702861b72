package io.codesous.scheduler;

import io.codesous.kv.KvStore;
import io.codesous.spec.kv.KvKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A lease in the KV ({@link KvKeys#schedulerLease()}): {@code {holder, epoch, expires_at_ms}}, taken and renewed
 * only by compare-and-set against the value read, so of several contenders exactly one wins, and a new holder
 * increments the epoch. The expiry is in the value rather than a KV time to live because the port's
 * compare-and-set keeps a key's expiry: a renewal could not extend it. Processes therefore compare lease times
 * on their own clocks; their skew must stay well below the lease's length.
 *
 * <p>A holder renews whenever it is asked and the lease is past half its length, and considers itself deposed as
 * soon as its lease has run out on its own clock, renewed or not.
 */
public final class KvLeaseElection implements LeaderElection {

  private final KvStore kv;
  private final String holder;
  private final long leaseMs;
  private final LongSupplier clockMs;
  /** Written on the scheduler's loop, read by readiness probes on others. */
  private volatile long epoch;
  private long expiresAtMs;

  public KvLeaseElection(KvStore kv, String holder, long leaseMs, LongSupplier clockMs) {
    this.kv = Objects.requireNonNull(kv, "kv");
    this.holder = Objects.requireNonNull(holder, "holder");
    if (leaseMs <= 0) {
      throw new IllegalArgumentException("leaseMs must be positive");
    }
    this.leaseMs = leaseMs;
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
  }

  @Override
  public Future<Boolean> lead() {
    long now = clockMs.getAsLong();
    if (epoch > 0 && now < expiresAtMs - leaseMs / 2) {
      return Future.succeededFuture(true);
    }
    String key = KvKeys.schedulerLease();
    return kv.get(key).compose(raw -> {
      JsonObject current = raw == null ? null : new JsonObject(raw);
      boolean mine = current != null && holder.equals(current.getString("holder"))
          && current.getLong("epoch") == epoch;
      boolean free = current == null || current.getLong("expires_at_ms") <= now;
      if (!mine && !free) {
        epoch = 0;
        return Future.succeededFuture(false);
      }
      long nextEpoch = mine ? epoch : (current == null ? 0 : current.getLong("epoch")) + 1;
      JsonObject lease = new JsonObject().put("holder", holder).put("epoch", nextEpoch)
          .put("expires_at_ms", now + leaseMs);
      return kv.compareAndSet(key, raw, lease.encode()).map(won -> {
        if (won) {
          epoch = nextEpoch;
          expiresAtMs = now + leaseMs;
        } else {
          epoch = 0;
        }
        return won;
      });
    }).recover(unreachable -> {
      // without the store this process cannot know it still leads once its lease has run out
      if (clockMs.getAsLong() >= expiresAtMs) {
        epoch = 0;
      }
      return Future.succeededFuture(epoch > 0);
    });
  }

  @Override
  public Future<Void> resign() {
    if (epoch == 0) {
      return Future.succeededFuture();
    }
    String key = KvKeys.schedulerLease();
    long held = epoch;
    epoch = 0;
    return kv.get(key).compose(raw -> {
      if (raw == null) {
        return Future.succeededFuture();
      }
      JsonObject current = new JsonObject(raw);
      if (!holder.equals(current.getString("holder")) || current.getLong("epoch") != held) {
        return Future.succeededFuture();
      }
      // keep the epoch so the next holder's is higher; only the expiry goes
      return kv.compareAndSet(key, raw, current.copy().put("expires_at_ms", 0L).encode()).mapEmpty();
    }).<Void>mapEmpty().recover(ignored -> Future.succeededFuture());
  }

  @Override
  public long epoch() {
    return epoch;
  }
}
