package io.codesous.platform;

import io.codesous.kv.KvStore;
import io.codesous.scheduler.KubernetesLeaseElection;
import io.codesous.scheduler.KvLeaseElection;
import io.codesous.scheduler.LeaderElection;
import io.codesous.scheduler.SchedulerOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;

import java.util.function.LongSupplier;

/** The scheduler's leader election as configured, and the Kubernetes client it may have opened. */
final class Elections implements AutoCloseable {

  private KubernetesClient kubernetes;

  /**
   * A Kubernetes lease or a KV lease; a Kubernetes client finds its cluster as kubectl does (in a pod, its service
   * account; elsewhere, the kubeconfig).
   */
  LeaderElection election(Vertx vertx, KvStore kv, SchedulerOptions options, String instanceId, LongSupplier clock) {
    if (SchedulerOptions.ELECTION_KUBERNETES.equals(options.election())) {
      kubernetes = new KubernetesClientBuilder().build();
      return new KubernetesLeaseElection(vertx, kubernetes, options.leaseNamespace(), options.leaseName(), instanceId,
          options.leaseMs());
    }
    return new KvLeaseElection(kv, instanceId, options.leaseMs(), clock);
  }

  @Override
  public void close() {
    if (kubernetes != null) {
      kubernetes.close();
    }
  }
}
