package io.codesous.scheduler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Leadership through a Kubernetes {@code coordination.k8s.io/v1} Lease, by fabric8 kubernetes-client's leader
 * elector, which acquires, renews (every {@code leaseMs / 5}) and gives up before the lease runs out (after
 * {@code leaseMs * 2 / 3} without a renewal) on threads of its own. The epoch is the Lease's
 * {@code leaseTransitions} plus one, read once this process holds it: it grows by one per new holder, as the KV
 * lease's does.
 *
 * <p>The elector starts on the first {@link #lead()} (and again after it lost the Lease, which ends it), which
 * otherwise only reports what it knows; blocking calls (the
 * read of the epoch, the release on {@link #resign()}) stay off the event loop.
 */
public final class KubernetesLeaseElection implements LeaderElection {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesLeaseElection.class);

  private final Vertx vertx;
  private final KubernetesClient client;
  private final LeaseLock lock;
  private final String holder;
  private final long leaseMs;
  private volatile long epoch;
  private CompletableFuture<?> running;

  public KubernetesLeaseElection(Vertx vertx, KubernetesClient client, String namespace, String leaseName,
                                 String holder, long leaseMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.client = Objects.requireNonNull(client, "client");
    this.holder = Objects.requireNonNull(holder, "holder");
    this.lock = new LeaseLock(namespace, leaseName, holder);
    if (leaseMs < 1_000) {
      throw new IllegalArgumentException("leaseMs must be at least 1000 for a Kubernetes Lease");
    }
    this.leaseMs = leaseMs;
  }

  @Override
  public synchronized Future<Boolean> lead() {
    if (running == null || running.isDone()) {
      // not started yet, or the elector ended after losing the Lease: it contends again
      LeaderCallbacks callbacks = new LeaderCallbacks(this::started, this::stopped, leader -> { });
      LeaderElectionConfig config = new LeaderElectionConfig(lock, Duration.ofMillis(leaseMs),
          Duration.ofMillis(leaseMs * 2 / 3), Duration.ofMillis(Math.max(100, leaseMs / 5)), callbacks, true,
          "code-sous-scheduler");
      running = client.leaderElector().withConfig(config).build().start();
    }
    return Future.succeededFuture(epoch > 0);
  }

  /** Called on the elector's thread: the Lease is ours, and its transitions say how many holders came before. */
  private void started() {
    try {
      LeaderElectionRecord record = lock.get(client);
      if (record != null && holder.equals(record.getHolderIdentity())) {
        epoch = record.getLeaderTransitions() + 1L;
        LOG.info("scheduler {} leads with epoch {}", holder, epoch);
      }
    } catch (RuntimeException unreadable) {
      LOG.warn("scheduler {} won the Lease but could not read its epoch: {}", holder, unreadable.getMessage());
    }
  }

  private void stopped() {
    epoch = 0;
    LOG.info("scheduler {} no longer leads", holder);
  }

  @Override
  public synchronized Future<Void> resign() {
    CompletableFuture<?> stopping = running;
    running = null;
    epoch = 0;
    if (stopping == null) {
      return Future.succeededFuture();
    }
    // cancelling releases the Lease (releaseOnCancel) with a blocking call, hence a worker thread
    return vertx.executeBlocking(() -> stopping.cancel(true)).<Void>mapEmpty()
        .recover(ignored -> Future.succeededFuture());
  }

  @Override
  public long epoch() {
    return epoch;
  }
}
