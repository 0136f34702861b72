package io.codesous.runtime;

/**
 * Per-activation caps enforced by the sandbox.
 *
 * @param maxLogBytes      total bytes of log messages kept; past it one truncation marker is logged
 * @param maxLogLines      number of log entries kept; past it one truncation marker is logged
 * @param maxResponseBytes size of the response body (decoded bytes when base64); past it the
 *                         activation is an error
 * @param memoryBytes      the memory budget: what the activation may hold, estimated from the bytes its thread
 *                         allocates less what garbage collections show to be garbage (see {@link MemoryGuard});
 *                         past it the activation ends {@link ExecutionStatus#MEMORY_LIMIT}. It also sizes the
 *                         largest single string and buffer, and the most elements a guarded built-in may walk.
 * @param maxResponseHeaders     number of response headers; past it the activation is an error (invalid response)
 * @param maxResponseHeaderBytes UTF-8 bytes of all response header names and values together; past it the
 *                               activation is an error (invalid response). The body limit alone let a function
 *                               send megabytes of headers, which the gateway then wrote and the record kept.
 */
public record ExecutionLimits(int maxLogBytes, int maxLogLines, int maxResponseBytes, long memoryBytes,
                              int maxResponseHeaders, int maxResponseHeaderBytes) {

  public static final int DEFAULT_MAX_LOG_BYTES = 256 * 1024;
  public static final int DEFAULT_MAX_LOG_LINES = 1000;
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
  /** 128 MiB, the manifest's default {@code limits.memoryMb}. */
  public static final long DEFAULT_MEMORY_BYTES = 128L * 1024 * 1024;
  /** Smallest budget accepted: below it the runtime's own work for one activation would not fit. */
  public static final long MIN_MEMORY_BYTES = 1024L * 1024;
  /** The manifest's default {@code limits.maxResponseHeaders}. */
  public static final int DEFAULT_MAX_RESPONSE_HEADERS = 100;
  /** 32 KiB, the manifest's default {@code limits.maxResponseHeaderBytes}. */
  public static final int DEFAULT_MAX_RESPONSE_HEADER_BYTES = 32 * 1024;

  public static final ExecutionLimits DEFAULTS = new ExecutionLimits(DEFAULT_MAX_LOG_BYTES, DEFAULT_MAX_LOG_LINES,
      DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MEMORY_BYTES);

  /** Limits with the default response header bounds. */
  public ExecutionLimits(int maxLogBytes, int maxLogLines, int maxResponseBytes, long memoryBytes) {
    this(maxLogBytes, maxLogLines, maxResponseBytes, memoryBytes, DEFAULT_MAX_RESPONSE_HEADERS,
        DEFAULT_MAX_RESPONSE_HEADER_BYTES);
  }

  public ExecutionLimits {
    if (maxResponseHeaders < 0 || maxResponseHeaderBytes < 0) {
      throw new IllegalArgumentException("response header limits must not be negative");
    }
    if (memoryBytes < MIN_MEMORY_BYTES) {
      throw new IllegalArgumentException("memoryBytes must be at least " + MIN_MEMORY_BYTES + ", got " + memoryBytes);
    }
  }

  /** The same limits with another memory budget. */
  public ExecutionLimits withMemoryBytes(long bytes) {
    return new ExecutionLimits(maxLogBytes, maxLogLines, maxResponseBytes, bytes, maxResponseHeaders,
        maxResponseHeaderBytes);
  }

  /** The same limits with other response header bounds. */
  public ExecutionLimits withResponseHeaderLimits(int headers, int headerBytes) {
    return new ExecutionLimits(maxLogBytes, maxLogLines, maxResponseBytes, memoryBytes, headers, headerBytes);
  }
}
