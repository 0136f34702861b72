package io.codesous.gateway;

import io.codesous.spec.model.Limits;
import io.vertx.core.json.JsonObject;

/** Settings of the HTTP gateway. */
public class GatewayOptions {

  /** The longest a request waits for its result before it is answered 202 with the activation id. */
  public static final long DEFAULT_WAIT_MS = 60_000;
  /** Added to the function's timeout: the wait never outlasts the deadline by more than this. */
  public static final long DEFAULT_WAIT_MARGIN_MS = 2_000;
  /** Request body bytes passed to a function. */
  public static final long DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024L;
  /** How long a resolved ref (function, alias) is reused before it is read again. */
  public static final long DEFAULT_REF_CACHE_TTL_MS = 1_000;

  private long waitMs = DEFAULT_WAIT_MS;
  private long waitMarginMs = DEFAULT_WAIT_MARGIN_MS;
  private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private long refCacheTtlMs = DEFAULT_REF_CACHE_TTL_MS;
  private String webHostSuffix;

  public GatewayOptions() {
  }

  /** Through the setters, so a configuration gets the same checks as code. */
  public GatewayOptions(JsonObject json) {
    setWaitMs(json.getLong("waitMs", DEFAULT_WAIT_MS));
    setWaitMarginMs(json.getLong("waitMarginMs", DEFAULT_WAIT_MARGIN_MS));
    setMaxBodyBytes(json.getLong("maxBodyBytes", DEFAULT_MAX_BODY_BYTES));
    setRefCacheTtlMs(json.getLong("refCacheTtlMs", DEFAULT_REF_CACHE_TTL_MS));
    setWebHostSuffix(json.getString("webHostSuffix"));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("waitMs", waitMs).put("waitMarginMs", waitMarginMs)
        .put("maxBodyBytes", maxBodyBytes).put("refCacheTtlMs", refCacheTtlMs);
    return webHostSuffix == null ? json : json.put("webHostSuffix", webHostSuffix);
  }

  /** The domain of per-function host names ({@link WebHosts}), or {@code null}: functions are served by path only. */
  public String getWebHostSuffix() {
    return webHostSuffix;
  }

  /** @param webHostSuffix e.g. {@code fn.example.com}, or {@code null} to route by path only */
  public GatewayOptions setWebHostSuffix(String webHostSuffix) {
    this.webHostSuffix = webHostSuffix == null ? null : WebHosts.requireSuffix(webHostSuffix);
    return this;
  }

  /**
   * How long a web caller waits for an activation of a version with these limits, as the gateway computes it: the
   * version's first activation on an invoker may evaluate its module first, under the init budget, then runs under
   * the timeout. A local run's request carries the same deadline.
   */
  public long waitMsFor(Limits limits) {
    return Math.min(waitMs, (long) limits.timeoutMs() + limits.initTimeoutMs() + waitMarginMs);
  }

  public long getWaitMs() {
    return waitMs;
  }

  public GatewayOptions setWaitMs(long waitMs) {
    if (waitMs < 1) {
      throw new IllegalArgumentException("waitMs must be positive");
    }
    this.waitMs = waitMs;
    return this;
  }

  public long getWaitMarginMs() {
    return waitMarginMs;
  }

  /**
   * See {@link #DEFAULT_WAIT_MARGIN_MS}. A negative margin would end the wait before the function's own deadline,
   * answering 202 for activations about to end within their time budget.
   */
  public GatewayOptions setWaitMarginMs(long waitMarginMs) {
    if (waitMarginMs < 0) {
      throw new IllegalArgumentException("waitMarginMs must not be negative, got " + waitMarginMs);
    }
    this.waitMarginMs = waitMarginMs;
    return this;
  }

  public long getMaxBodyBytes() {
    return maxBodyBytes;
  }

  public GatewayOptions setMaxBodyBytes(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  public long getRefCacheTtlMs() {
    return refCacheTtlMs;
  }

  public GatewayOptions setRefCacheTtlMs(long refCacheTtlMs) {
    this.refCacheTtlMs = refCacheTtlMs;
    return this;
  }
}
