package io.codesous.spec.model;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * How one attempt of an activation ended: the members its terminal record adds to the running record.
 *
 * @param startMs  when execution began (for an activation that ended before running: when its attempt started)
 * @param response on {@code success}, the function's response; else {@code null}
 * @param error    otherwise {@code {code, message, stack?}}; else {@code null}
 * @param logs     what was stored of the attempt's logs, before the terminal record points at them
 * @param initMs   of the duration, what evaluating the entry module took (0 when a warm or prepared context had
 *                 evaluated it before); {@code null} for an activation that never reached the sandbox
 * @param start    how the sandbox context started ({@code cold}, {@code prewarmed}, {@code warm}, see
 *                 spec/metrics.md); {@code null} for an activation that never got one
 */
public record ActivationOutcome(ActivationStatus status, long startMs, long endMs, JsonObject response,
                                JsonObject error, Logs logs, Long initMs, String start) {

  /** {@code logs} of a record: entries written, chunks they fill, whether some were dropped. */
  public record Logs(int count, int chunks, boolean truncated) {

    public static final Logs NONE = new Logs(0, 0, false);

    JsonObject toJson() {
      return new JsonObject().put("count", count).put("chunks", chunks).put("truncated", truncated);
    }
  }

  public ActivationOutcome {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(logs, "logs");
    if (!status.terminal()) {
      throw new IllegalArgumentException("an outcome carries a terminal status, not " + status);
    }
  }

  /** An outcome without a context start: the activation ended before its sandbox context was had. */
  public ActivationOutcome(ActivationStatus status, long startMs, long endMs, JsonObject response, JsonObject error,
                           Logs logs, Long initMs) {
    this(status, startMs, endMs, response, error, logs, initMs, null);
  }

  /** An outcome without an init time: the activation did not reach the sandbox. */
  public ActivationOutcome(ActivationStatus status, long startMs, long endMs, JsonObject response, JsonObject error,
                           Logs logs) {
    this(status, startMs, endMs, response, error, logs, null, null);
  }

  /** An activation that ended without running the function: no response, no logs. */
  public static ActivationOutcome failed(ActivationStatus status, long startMs, long endMs, String code,
                                         String message) {
    return new ActivationOutcome(status, startMs, endMs, null,
        new JsonObject().put("code", code).put("message", message), Logs.NONE);
  }

  public long durationMs() {
    return Math.max(0, endMs - startMs);
  }

  /** The record members, under the record's wire names. */
  JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put(ActivationRecord.STATUS, status.wire())
        .put(ActivationRecord.START_MS, startMs)
        .put(ActivationRecord.END_MS, endMs)
        .put(ActivationRecord.DURATION_MS, durationMs())
        .put(ActivationRecord.LOGS, logs.toJson());
    if (initMs != null) {
      json.put(ActivationRecord.INIT_MS, initMs);
    }
    if (start != null) {
      json.put(ActivationRecord.START, start);
    }
    if (response != null) {
      json.put(ActivationRecord.RESPONSE, response);
    }
    if (error != null) {
      json.put(ActivationRecord.ERROR, error);
    }
    return json;
  }
}
