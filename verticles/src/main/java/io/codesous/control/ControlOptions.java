package io.codesous.control;

import io.codesous.spec.model.Manifest;
import io.vertx.core.json.JsonObject;

/** Settings of the control API. */
public class ControlOptions {

  /** How long an uploaded draft can be published. */
  public static final long DEFAULT_DRAFT_TTL_MS = 24 * 3600 * 1000L;
  /** Decoded bytes of one bundle. */
  public static final int DEFAULT_MAX_BUNDLE_BYTES = 5 * 1024 * 1024;
  /** Request body bytes (a base64 bundle is 4/3 of its decoded size, plus the manifest). */
  public static final long DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024L;
  /** Threads that decode and validate drafts: half the cores, so the event loops keep the rest. */
  public static final int DEFAULT_VALIDATION_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  private long draftTtlMs = DEFAULT_DRAFT_TTL_MS;
  private int maxBundleBytes = DEFAULT_MAX_BUNDLE_BYTES;
  private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private int validationThreads = DEFAULT_VALIDATION_THREADS;
  private long maxTimeoutMs = Manifest.DEFAULT_MAX_TIMEOUT_MS;

  public ControlOptions() {
  }

  public ControlOptions(JsonObject json) {
    this.draftTtlMs = json.getLong("draftTtlMs", DEFAULT_DRAFT_TTL_MS);
    this.maxBundleBytes = json.getInteger("maxBundleBytes", DEFAULT_MAX_BUNDLE_BYTES);
    this.maxBodyBytes = json.getLong("maxBodyBytes", DEFAULT_MAX_BODY_BYTES);
    setValidationThreads(json.getInteger("validationThreads", DEFAULT_VALIDATION_THREADS));
  }

  public JsonObject toJson() {
    return new JsonObject().put("draftTtlMs", draftTtlMs).put("maxBundleBytes", maxBundleBytes)
        .put("maxBodyBytes", maxBodyBytes).put("validationThreads", validationThreads);
  }

  public long getDraftTtlMs() {
    return draftTtlMs;
  }

  public ControlOptions setDraftTtlMs(long draftTtlMs) {
    if (draftTtlMs < 1) {
      throw new IllegalArgumentException("draftTtlMs must be positive");
    }
    this.draftTtlMs = draftTtlMs;
    return this;
  }

  /** Threads of the {@link ValidationPool}. */
  public int getValidationThreads() {
    return validationThreads;
  }

  public ControlOptions setValidationThreads(int validationThreads) {
    if (validationThreads < 1) {
      throw new IllegalArgumentException("validationThreads must be at least 1");
    }
    this.validationThreads = validationThreads;
    return this;
  }

  public int getMaxBundleBytes() {
    return maxBundleBytes;
  }

  public ControlOptions setMaxBundleBytes(int maxBundleBytes) {
    this.maxBundleBytes = maxBundleBytes;
    return this;
  }

  /** The highest {@code limits.timeoutMs} a manifest may ask (operator setting {@code limits.maxTimeoutMs}). */
  public long getMaxTimeoutMs() {
    return maxTimeoutMs;
  }

  /**
   * @throws IllegalArgumentException outside [{@value Manifest#DEFAULT_MAX_TIMEOUT_MS},
   *                                  {@value Manifest#CEILING_TIMEOUT_MS}]: below 5 minutes would refuse manifests
   *                                  already published under the default; above 24 hours, an activation would
   *                                  outlive the activation records' retention
   */
  public ControlOptions setMaxTimeoutMs(long maxTimeoutMs) {
    if (maxTimeoutMs < Manifest.DEFAULT_MAX_TIMEOUT_MS || maxTimeoutMs > Manifest.CEILING_TIMEOUT_MS) {
      throw new IllegalArgumentException("limits.maxTimeoutMs must be between " + Manifest.DEFAULT_MAX_TIMEOUT_MS
          + " and " + Manifest.CEILING_TIMEOUT_MS + ", got " + maxTimeoutMs);
    }
    this.maxTimeoutMs = maxTimeoutMs;
    return this;
  }

  public long getMaxBodyBytes() {
    return maxBodyBytes;
  }

  public ControlOptions setMaxBodyBytes(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }
}
