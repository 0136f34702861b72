package io.codesous.scheduler;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * How the scheduler paces itself and how its processes elect the one that fires ticks (configuration section
 * {@code scheduler}).
 *
 * @param pollMs         the longest it goes without looking for due ticks and for changes announced by the control
 *                       API; the earliest due tick is waited for to its millisecond, not to the next look
 * @param onTimeMs       how late a tick may be and still be recorded {@code fired} rather than caught up or missed
 * @param markerMarginMs how long past the version's timeout an inflight marker outlives a result that never came
 * @param leaseMs        how long a leader's lease lasts unrenewed: the longest a deployment goes without a leader
 *                       when its leader dies
 * @param refreshMs      how often the leader re-reads every schedule, which picks up changes written by the
 *                       control API of another process (its own process's changes are seen at once)
 * @param election       {@link #ELECTION_KV} (a lease in the KV) or {@link #ELECTION_KUBERNETES} (a
 *                       {@code coordination.k8s.io} Lease)
 * @param leaseNamespace the Kubernetes namespace of the Lease ({@code kubernetes} election only)
 * @param leaseName      the Kubernetes Lease's name ({@code kubernetes} election only)
 * @param lanes          how many event loops the leader steps its schedules on, each holding a share of them by
 *                       name (see {@code SchedulerLane})
 */
public record SchedulerOptions(long pollMs, long onTimeMs, long markerMarginMs, long leaseMs, long refreshMs,
                               String election, String leaseNamespace, String leaseName, int lanes) {

  public static final String ELECTION_KV = "kv";
  public static final String ELECTION_KUBERNETES = "kubernetes";

  public SchedulerOptions {
    positive("pollMs", pollMs);
    positive("onTimeMs", onTimeMs);
    positive("markerMarginMs", markerMarginMs);
    positive("leaseMs", leaseMs);
    positive("refreshMs", refreshMs);
    if (!ELECTION_KV.equals(election) && !ELECTION_KUBERNETES.equals(election)) {
      throw new IllegalArgumentException("election must be kv or kubernetes: " + election);
    }
    Objects.requireNonNull(leaseNamespace, "leaseNamespace");
    Objects.requireNonNull(leaseName, "leaseName");
    positive("lanes", lanes);
  }

  /** The KV election with the other settings as given. */
  public SchedulerOptions(long pollMs, long onTimeMs, long markerMarginMs, long leaseMs) {
    this(pollMs, onTimeMs, markerMarginMs, leaseMs, 60_000, ELECTION_KV, "default", "code-sous-scheduler",
        defaultLanes());
  }

  /**
   * One lane per event loop of Vert.x's default pool (two per core), four at most. At ten thousand schedules a second
   * one event loop was busy for about two thirds of every second stepping the ticks due at its start, and a second
   * lane halved that where a core was free. On two cores, interleaved runs of {@code bench/run.sh --schedules
   * 10000} gave tick lag p99 of 152-292 ms embedded and 288-334 ms on Redis and Kafka with four lanes, against
   * 377-560 and 430-435 ms with two: each lane steps a smaller share, and the lanes' loops take their share of the
   * cores beside the invoker's and the clients' threads. Beyond four, each lane's eight batches in flight would
   * crowd the Redis adapter's waiting commands.
   */
  static int defaultLanes() {
    return Math.max(1, Math.min(4, 2 * Runtime.getRuntime().availableProcessors()));
  }

  /**
   * Each lane's part of a bound set for the whole scheduler (the refused runs and the lost runs that may wait, the
   * text of the documents written): a
   * lane holds its own, so the scheduler holds no more than {@code total} whatever its lanes.
   */
  public int laneShare(int total) {
    return Math.max(1, total / lanes);
  }

  public static SchedulerOptions defaults() {
    return new SchedulerOptions(100, 5_000, 30_000, 10_000);
  }

  /** Reads the {@code scheduler} section; absent members keep their defaults. */
  public static SchedulerOptions fromJson(JsonObject json) {
    SchedulerOptions d = defaults();
    JsonObject k8s = json.getJsonObject("kubernetes", new JsonObject());
    return new SchedulerOptions(json.getLong("pollMs", d.pollMs), json.getLong("onTimeMs", d.onTimeMs),
        json.getLong("markerMarginMs", d.markerMarginMs), json.getLong("leaseMs", d.leaseMs),
        json.getLong("refreshMs", d.refreshMs), json.getString("election", d.election),
        k8s.getString("namespace", d.leaseNamespace), k8s.getString("leaseName", d.leaseName),
        json.getInteger("lanes", d.lanes));
  }

  public JsonObject toJson() {
    return new JsonObject().put("pollMs", pollMs).put("onTimeMs", onTimeMs).put("markerMarginMs", markerMarginMs)
        .put("leaseMs", leaseMs).put("refreshMs", refreshMs).put("election", election)
        .put("kubernetes", new JsonObject().put("namespace", leaseNamespace).put("leaseName", leaseName))
        .put("lanes", lanes);
  }

  public SchedulerOptions withElection(String election, String namespace, String name) {
    return new SchedulerOptions(pollMs, onTimeMs, markerMarginMs, leaseMs, refreshMs, election, namespace, name,
        lanes);
  }

  public SchedulerOptions withRefreshMs(long refreshMs) {
    return new SchedulerOptions(pollMs, onTimeMs, markerMarginMs, leaseMs, refreshMs, election, leaseNamespace,
        leaseName, lanes);
  }

  public SchedulerOptions withLanes(int lanes) {
    return new SchedulerOptions(pollMs, onTimeMs, markerMarginMs, leaseMs, refreshMs, election, leaseNamespace,
        leaseName, lanes);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
