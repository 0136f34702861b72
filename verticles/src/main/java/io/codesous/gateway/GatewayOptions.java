package io.codesous.gateway;

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

  public GatewayOptions() {
  }

  public GatewayOptions(JsonObject json) {
    this.waitMs = json.getLong("waitMs", DEFAULT_WAIT_MS);
    this.waitMarginMs = json.getLong("waitMarginMs", DEFAULT_WAIT_MARGIN_MS);
    this.maxBodyBytes = json.getLong("maxBodyBytes", DEFAULT_MAX_BODY_BYTES);
    this.refCacheTtlMs = json.getLong("refCacheTtlMs", DEFAULT_REF_CACHE_TTL_MS);
  }

  public JsonObject toJson() {
    return new JsonObject().put("waitMs", waitMs).put("waitMarginMs", waitMarginMs)
        .put("maxBodyBytes", maxBodyBytes).put("refCacheTtlMs", refCacheTtlMs);
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

  public GatewayOptions setWaitMarginMs(long waitMarginMs) {
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
