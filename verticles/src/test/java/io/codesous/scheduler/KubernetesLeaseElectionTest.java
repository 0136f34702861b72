package io.codesous.scheduler;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.ZonedDateTime;
import java.util.concurrent.TimeUnit;

import static io.codesous.testsupport.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Kubernetes Lease elector against fabric8's mock API server, which keeps the Lease as a real one would. */
@EnableKubernetesMockClient(crud = true)
class KubernetesLeaseElectionTest {

  static KubernetesClient client;
  private static final long LEASE_MS = 1_500;
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void ofTwoContendersOneLeadsAndTheOtherTakesOverWithAHigherEpochWhenTheLeaderResigns() throws Exception {
    KubernetesLeaseElection a = new KubernetesLeaseElection(vertx, client, "ns1", "sched", "a", LEASE_MS);
    KubernetesLeaseElection b = new KubernetesLeaseElection(vertx, client, "ns1", "sched", "b", LEASE_MS);
    a.lead().await(10, TimeUnit.SECONDS);
    until(() -> a.epoch() > 0, "a leads");
    long first = a.epoch();
    b.lead().await(10, TimeUnit.SECONDS);
    // b keeps contending through several of a's renewals, and never leads beside it
    for (int i = 0; i < 10; i++) {
      assertEquals(false, b.lead().await(10, TimeUnit.SECONDS), "b leads while a holds the Lease");
      assertEquals("a", holder());
      Thread.sleep(LEASE_MS / 5);
    }
    a.resign().await(10, TimeUnit.SECONDS);
    assertEquals(0, a.epoch());
    until(() -> b.epoch() > 0, "b takes over");
    assertEquals(first + 1, b.epoch(), "a new holder's epoch is one higher");
    assertEquals("b", holder());
    b.resign().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aLeaderWhoseLeaseIsTakenFromItStopsLeading() throws Exception {
    KubernetesLeaseElection a = new KubernetesLeaseElection(vertx, client, "ns2", "sched", "a", LEASE_MS);
    a.lead().await(10, TimeUnit.SECONDS);
    until(() -> a.epoch() > 0, "a leads");
    // another holder writes the Lease as if a's renewals had stopped reaching the API server; a renewal of a's
    // between the read and the write makes the write a conflict (409), so read again and retry, as a client would
    for (int attempt = 1; ; attempt++) {
      Lease lease = client.leases().inNamespace("ns2").withName("sched").get();
      lease.getSpec().setHolderIdentity("intruder");
      lease.getSpec().setRenewTime(ZonedDateTime.now());
      lease.getSpec().setLeaseDurationSeconds(60);
      lease.getSpec().setLeaseTransitions(lease.getSpec().getLeaseTransitions() + 1);
      try {
        client.leases().inNamespace("ns2").resource(lease).update();
        break;
      } catch (KubernetesClientException conflict) {
        if (conflict.getCode() != 409 || attempt == 20) {
          throw conflict;
        }
      }
    }
    until(() -> a.epoch() == 0, "a steps down");
    a.resign().await(10, TimeUnit.SECONDS);
  }

  private static String holder() {
    return client.leases().inNamespace("ns1").withName("sched").get().getSpec().getHolderIdentity();
  }
}
