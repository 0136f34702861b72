package io.codesous.invoker;

import io.vertx.core.json.JsonObject;

/** Settings of one invoker. */
public class InvokerOptions {

  /** Sandbox threads: JavaScript execution is CPU-bound, so one per core. */
  public static final int DEFAULT_WORKER_POOL_SIZE = Math.max(1, Runtime.getRuntime().availableProcessors());
  /** Requests held at once (running plus waiting for a per-version slot); the rest stay queued. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 4 * DEFAULT_WORKER_POOL_SIZE;
  /** How long activation records and logs are kept. */
  public static final long DEFAULT_ACTIVATION_RETENTION_MS = 7L * 24 * 3600 * 1000;
  /** Bundles kept decoded in memory, by sha256. */
  public static final int DEFAULT_BUNDLE_CACHE_SIZE = 256;
  /** Log entries kept per activation. */
  public static final int DEFAULT_MAX_LOG_LINES = 1000;
  /** Pause before a message is given back after a backend failure, so an outage is not a spin. */
  public static final long DEFAULT_RETRY_DELAY_MS = 1_000;
  /**
   * Added to a version's timeout to make the lease of a claimed activation. Another invoker takes
   * an activation over only after its lease ran out, so the margin must cover what follows the run
   * (logs, the terminal record) and pauses of a live invoker; it delays the takeover after a crash.
   */
  public static final long DEFAULT_LEASE_MARGIN_MS = 10_000;
  /**
   * A request older than this when an invoker takes it (counted from its enqueue) ends {@code expired} unrun: after
   * a backlog its caller stopped waiting long ago, and running it late would only add to the backlog. 0: never.
   */
  public static final long DEFAULT_MAX_REQUEST_AGE_MS = 15 * 60_000;

  /**
   * How long a stopping invoker waits for the activations it took to finish (see {@link Invoker#stop()}): longer
   * than the default function timeout, so a clean stop does not cut a running function short.
   */
  public static final long DEFAULT_DRAIN_TIMEOUT_MS = 40_000;

  private int workerPoolSize = DEFAULT_WORKER_POOL_SIZE;
  /** 0: the default, all sandbox threads but one (see {@link #getTenantShare}). */
  private int tenantShare;
  private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
  private long activationRetentionMs = DEFAULT_ACTIVATION_RETENTION_MS;
  private int bundleCacheSize = DEFAULT_BUNDLE_CACHE_SIZE;
  private int maxLogLines = DEFAULT_MAX_LOG_LINES;
  private long retryDelayMs = DEFAULT_RETRY_DELAY_MS;
  private long leaseMarginMs = DEFAULT_LEASE_MARGIN_MS;
  private boolean prepareVersions = true;
  private long drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS;
  private long maxRequestAgeMs = DEFAULT_MAX_REQUEST_AGE_MS;

  public InvokerOptions() {
  }

  public InvokerOptions(JsonObject json) {
    this.workerPoolSize = json.getInteger("workerPoolSize", DEFAULT_WORKER_POOL_SIZE);
    setTenantShare(json.getInteger("tenantShare", 0));
    this.maxInFlight = json.getInteger("maxInFlight", DEFAULT_MAX_IN_FLIGHT);
    this.activationRetentionMs = json.getLong("activationRetentionMs", DEFAULT_ACTIVATION_RETENTION_MS);
    this.bundleCacheSize = json.getInteger("bundleCacheSize", DEFAULT_BUNDLE_CACHE_SIZE);
    this.maxLogLines = json.getInteger("maxLogLines", DEFAULT_MAX_LOG_LINES);
    this.retryDelayMs = json.getLong("retryDelayMs", DEFAULT_RETRY_DELAY_MS);
    setLeaseMarginMs(json.getLong("leaseMarginMs", DEFAULT_LEASE_MARGIN_MS));
    this.prepareVersions = json.getBoolean("prepareVersions", true);
    setDrainTimeoutMs(json.getLong("drainTimeoutMs", DEFAULT_DRAIN_TIMEOUT_MS));
    setMaxRequestAgeMs(json.getLong("maxRequestAgeMs", DEFAULT_MAX_REQUEST_AGE_MS));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("workerPoolSize", workerPoolSize)
        .put("tenantShare", tenantShare)
        .put("maxInFlight", maxInFlight)
        .put("activationRetentionMs", activationRetentionMs)
        .put("bundleCacheSize", bundleCacheSize)
        .put("maxLogLines", maxLogLines)
        .put("retryDelayMs", retryDelayMs)
        .put("leaseMarginMs", leaseMarginMs)
        .put("prepareVersions", prepareVersions)
        .put("drainTimeoutMs", drainTimeoutMs)
        .put("maxRequestAgeMs", maxRequestAgeMs);
  }

  public long getDrainTimeoutMs() {
    return drainTimeoutMs;
  }

  public InvokerOptions setDrainTimeoutMs(long drainTimeoutMs) {
    if (drainTimeoutMs < 0) {
      throw new IllegalArgumentException("drainTimeoutMs must not be negative");
    }
    this.drainTimeoutMs = drainTimeoutMs;
    return this;
  }

  public int getWorkerPoolSize() {
    return workerPoolSize;
  }

  public InvokerOptions setWorkerPoolSize(int workerPoolSize) {
    if (workerPoolSize < 1) {
      throw new IllegalArgumentException("workerPoolSize must be at least 1");
    }
    this.workerPoolSize = workerPoolSize;
    return this;
  }

  /**
   * The most sandbox threads one tenant's activations hold at once; the rest stay free for other tenants (see
   * {@link FairScheduler}). Unset (0), it is all threads but one, or 1 with a single thread; never more than
   * {@link #getWorkerPoolSize}. An invoker that serves one tenant only may set it to the pool size.
   */
  public int getTenantShare() {
    int share = tenantShare > 0 ? tenantShare : workerPoolSize - 1;
    return Math.max(1, Math.min(share, workerPoolSize));
  }

  /** @param tenantShare at least 1, or 0 for the default */
  public InvokerOptions setTenantShare(int tenantShare) {
    if (tenantShare < 0) {
      throw new IllegalArgumentException("tenantShare must be at least 1, or 0 for the default");
    }
    this.tenantShare = tenantShare;
    return this;
  }

  public int getMaxInFlight() {
    return maxInFlight;
  }

  public InvokerOptions setMaxInFlight(int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1");
    }
    this.maxInFlight = maxInFlight;
    return this;
  }

  public long getActivationRetentionMs() {
    return activationRetentionMs;
  }

  public InvokerOptions setActivationRetentionMs(long activationRetentionMs) {
    this.activationRetentionMs = activationRetentionMs;
    return this;
  }

  /**
   * Whether this invoker prepares a version in the sandbox when it is published and when the invoker first loads
   * it, so its first activation here finds a context that already evaluated the module (default true).
   */
  public boolean isPrepareVersions() {
    return prepareVersions;
  }

  public InvokerOptions setPrepareVersions(boolean prepareVersions) {
    this.prepareVersions = prepareVersions;
    return this;
  }

  public int getBundleCacheSize() {
    return bundleCacheSize;
  }

  public InvokerOptions setBundleCacheSize(int bundleCacheSize) {
    this.bundleCacheSize = bundleCacheSize;
    return this;
  }

  public int getMaxLogLines() {
    return maxLogLines;
  }

  public InvokerOptions setMaxLogLines(int maxLogLines) {
    this.maxLogLines = maxLogLines;
    return this;
  }

  public long getRetryDelayMs() {
    return retryDelayMs;
  }

  public InvokerOptions setRetryDelayMs(long retryDelayMs) {
    this.retryDelayMs = retryDelayMs;
    return this;
  }

  public long getLeaseMarginMs() {
    return leaseMarginMs;
  }

  /** See {@link #DEFAULT_LEASE_MARGIN_MS}. */
  public InvokerOptions setLeaseMarginMs(long leaseMarginMs) {
    if (leaseMarginMs < 0) {
      throw new IllegalArgumentException("leaseMarginMs must not be negative");
    }
    this.leaseMarginMs = leaseMarginMs;
    return this;
  }

  /** See {@link #DEFAULT_MAX_REQUEST_AGE_MS}; 0 turns the check off. */
  public long getMaxRequestAgeMs() {
    return maxRequestAgeMs;
  }

  public InvokerOptions setMaxRequestAgeMs(long maxRequestAgeMs) {
    if (maxRequestAgeMs < 0) {
      throw new IllegalArgumentException("maxRequestAgeMs must not be negative");
    }
    this.maxRequestAgeMs = maxRequestAgeMs;
    return this;
  }
}
