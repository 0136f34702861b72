package io.codesous.runtime;

import java.util.List;
import java.util.Objects;

/**
 * How one execution ended.
 *
 * @param responseJson  on {@link ExecutionStatus#SUCCESS}: the validated response as a JSON object
 *                      {@code {"statusCode":int,"headers":{string:string},"body":string,"isBase64Encoded":bool}};
 *                      otherwise {@code null}
 * @param errorCode     otherwise: {@code CS_RUNTIME_EXCEPTION}, {@code CS_TIMEOUT} or {@code CS_MEMORY_LIMIT}
 * @param errorMessage  otherwise: a human-readable reason (the thrown message for a throw)
 * @param errorStack    the guest stack for a throw, else {@code null}; never a host (Java) stack
 * @param logs          in call order, capped by {@link ExecutionLimits}
 * @param logsTruncated whether caps dropped log entries
 * @param startMs       wall-clock start, epoch milliseconds
 * @param durationMs    wall-clock time spent, module evaluation included
 * @param initMs        of which evaluating the entry module took (top-level {@code await} included); 0 when the
 *                      context had evaluated it before the activation began (a warm or prepared context), the time
 *                      the activation waited when a prepared context was still evaluating it
 * @param start         how the activation's context started; {@code null} when it ended before getting one
 */
public record ExecutionResult(ExecutionStatus status, String responseJson, String errorCode, String errorMessage,
                              String errorStack, List<LogEntry> logs, boolean logsTruncated, long startMs,
                              long durationMs, long initMs, ContextStart start) {
  public ExecutionResult {
    Objects.requireNonNull(status, "status");
    logs = List.copyOf(logs);
  }
}
