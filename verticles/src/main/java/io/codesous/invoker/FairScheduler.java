package io.codesous.invoker;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Admits activations to an invoker's sandbox workers fairly between tenants, and between the versions of one
 * tenant.
 *
 * <p>In arrival order, four 8 s CPU loops of one tenant held every worker of a two-core invoker, and another tenant's
 * trivial function waited 15.5 s at p99. A running activation cannot be preempted, so two rules together keep one
 * tenant from taking the pool:
 *
 * <ul>
 *   <li><b>a share</b>: one tenant holds at most {@code tenantShare} of the {@code workers} at once (by default all
 *       but one), so a worker is free for the other tenants however long one tenant's activations run;
 *   <li><b>fair queueing</b>: activations that wait are served round-robin across tenants, and within a tenant
 *       round-robin across its versions, so a tenant with a long backlog is served no more often than one with a
 *       single request waiting.
 * </ul>
 *
 * The share applies even when no other tenant waits: a tenant that already holds every worker would make the next
 * tenant's request wait for one of its runs to end, up to its {@code timeoutMs} (5 minutes at most).
 *
 * <p>Contract: {@link #run} calls {@code start} once a worker is admitted for the activation, on the thread that
 * admitted it (the caller's, or the one completing an earlier activation's future), and completes with what
 * {@code start}'s future completes with; the worker is given back when that future completes. Thread-safe.
 */
final class FairScheduler {

  private final int workers;
  private final int tenantShare;
  private int busy;
  private final Map<String, Integer> runningByTenant = new HashMap<>();
  /** Tenants with waiting activations, in the order they are next served; each one's versions likewise. */
  private final LinkedHashMap<String, LinkedHashMap<String, ArrayDeque<Waiting<?>>>> waiting = new LinkedHashMap<>();
  private int waitingCount;

  private record Waiting<T>(String tenant, Supplier<Future<T>> start, Promise<T> done) {
  }

  /**
   * @param workers     the sandbox workers this scheduler hands out
   * @param tenantShare the most of them one tenant may hold at once; 1..workers
   */
  FairScheduler(int workers, int tenantShare) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    if (tenantShare < 1 || tenantShare > workers) {
      throw new IllegalArgumentException("tenantShare must be 1.." + workers + ", got " + tenantShare);
    }
    this.workers = workers;
    this.tenantShare = tenantShare;
  }

  /** Runs {@code start} once a worker is admitted for {@code tenant}'s activation of {@code version}. */
  <T> Future<T> run(String tenant, String version, Supplier<Future<T>> start) {
    Promise<T> done = Promise.promise();
    Waiting<T> activation = new Waiting<>(tenant, start, done);
    boolean now;
    synchronized (this) {
      now = busy < workers && running(tenant) < tenantShare;
      if (now) {
        admit(tenant);
      } else {
        waiting.computeIfAbsent(tenant, t -> new LinkedHashMap<>())
            .computeIfAbsent(version, v -> new ArrayDeque<>()).add(activation);
        waitingCount++;
      }
    }
    if (now) {
      begin(activation);
    }
    return done.future();
  }

  synchronized int busy() {
    return busy;
  }

  synchronized int waiting() {
    return waitingCount;
  }

  synchronized int running(String tenant) {
    return runningByTenant.getOrDefault(tenant, 0);
  }

  private void admit(String tenant) {
    busy++;
    runningByTenant.merge(tenant, 1, Integer::sum);
  }

  private <T> void begin(Waiting<T> activation) {
    Future<T> running;
    try {
      running = activation.start.get();
    } catch (RuntimeException failed) {
      running = Future.failedFuture(failed);
    }
    running.onComplete(ar -> {
      finished(activation.tenant);
      activation.done.handle(ar);
    });
  }

  private void finished(String tenant) {
    List<Waiting<?>> next = new ArrayList<>();
    synchronized (this) {
      busy--;
      runningByTenant.computeIfPresent(tenant, (t, n) -> n == 1 ? null : n - 1);
      Waiting<?> admitted;
      while (busy < workers && (admitted = nextAdmissible()) != null) {
        admit(admitted.tenant);
        next.add(admitted);
      }
    }
    next.forEach(this::begin);
  }

  /**
   * The head of the first tenant in turn that is under its share, taken from that tenant's next version in turn;
   * both then move to the back of their turns.
   */
  private Waiting<?> nextAdmissible() {
    Iterator<Map.Entry<String, LinkedHashMap<String, ArrayDeque<Waiting<?>>>>> tenants = waiting.entrySet().iterator();
    while (tenants.hasNext()) {
      Map.Entry<String, LinkedHashMap<String, ArrayDeque<Waiting<?>>>> tenant = tenants.next();
      if (running(tenant.getKey()) >= tenantShare) {
        continue;
      }
      LinkedHashMap<String, ArrayDeque<Waiting<?>>> versions = tenant.getValue();
      Map.Entry<String, ArrayDeque<Waiting<?>>> version = versions.entrySet().iterator().next();
      Waiting<?> head = version.getValue().poll();
      versions.remove(version.getKey());
      if (!version.getValue().isEmpty()) {
        versions.put(version.getKey(), version.getValue());
      }
      tenants.remove();
      if (!versions.isEmpty()) {
        waiting.put(tenant.getKey(), versions);
      }
      waitingCount--;
      return head;
    }
    return null;
  }
}
