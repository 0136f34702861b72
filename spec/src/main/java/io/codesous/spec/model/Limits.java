package io.codesous.spec.model;

import io.vertx.core.json.JsonObject;

/**
 * A version's resource limits, with the platform defaults filled in. {@code maxResponseHeaders} and
 * {@code maxResponseHeaderBytes} bound the headers of the function's response as {@code maxResponseBytes} bounds its
 * body; the schema's maxima are the operator's ceilings.
 *
 * @param initTimeoutMs the budget of module evaluation (the entry module and its imports, top-level {@code await}
 *                      included), separate from the handler's {@code timeoutMs}
 */
public record Limits(int timeoutMs, int memoryMb, int maxConcurrency, int maxLogBytes, int maxResponseBytes,
                     int maxResponseHeaders, int maxResponseHeaderBytes, int initTimeoutMs) {

  public static final int DEFAULT_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_MEMORY_MB = 128;
  public static final int DEFAULT_MAX_CONCURRENCY = 16;
  public static final int DEFAULT_MAX_LOG_BYTES = 256 * 1024;
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
  public static final int DEFAULT_MAX_RESPONSE_HEADERS = 100;
  public static final int DEFAULT_MAX_RESPONSE_HEADER_BYTES = 32 * 1024;
  /** Enough for a few megabytes of bundled npm packages parsed cold on a busy machine; the schema allows up to 60 s. */
  public static final int DEFAULT_INIT_TIMEOUT_MS = 30_000;

  public static final Limits DEFAULTS = new Limits(DEFAULT_TIMEOUT_MS, DEFAULT_MEMORY_MB, DEFAULT_MAX_CONCURRENCY,
      DEFAULT_MAX_LOG_BYTES, DEFAULT_MAX_RESPONSE_BYTES);

  /** Limits with the default response header bounds and init budget. */
  public Limits(int timeoutMs, int memoryMb, int maxConcurrency, int maxLogBytes, int maxResponseBytes) {
    this(timeoutMs, memoryMb, maxConcurrency, maxLogBytes, maxResponseBytes, DEFAULT_MAX_RESPONSE_HEADERS,
        DEFAULT_MAX_RESPONSE_HEADER_BYTES, DEFAULT_INIT_TIMEOUT_MS);
  }

  /** Reads a schema-valid {@code limits} object; absent members take their defaults. */
  public static Limits fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    return new Limits(
        j.getInteger("timeoutMs", DEFAULT_TIMEOUT_MS),
        j.getInteger("memoryMb", DEFAULT_MEMORY_MB),
        j.getInteger("maxConcurrency", DEFAULT_MAX_CONCURRENCY),
        j.getInteger("maxLogBytes", DEFAULT_MAX_LOG_BYTES),
        j.getInteger("maxResponseBytes", DEFAULT_MAX_RESPONSE_BYTES),
        j.getInteger("maxResponseHeaders", DEFAULT_MAX_RESPONSE_HEADERS),
        j.getInteger("maxResponseHeaderBytes", DEFAULT_MAX_RESPONSE_HEADER_BYTES),
        j.getInteger("initTimeoutMs", DEFAULT_INIT_TIMEOUT_MS));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("timeoutMs", timeoutMs)
        .put("memoryMb", memoryMb)
        .put("maxConcurrency", maxConcurrency)
        .put("maxLogBytes", maxLogBytes)
        .put("maxResponseBytes", maxResponseBytes)
        .put("maxResponseHeaders", maxResponseHeaders)
        .put("maxResponseHeaderBytes", maxResponseHeaderBytes)
        .put("initTimeoutMs", initTimeoutMs);
  }
}
