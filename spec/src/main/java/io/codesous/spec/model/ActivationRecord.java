package io.codesous.spec.model;

import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.InvocationResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.Optional;

/**
 * The stored record of one activation ({@code Activation} in {@code openapi.yaml}, the value of
 * {@code KvKeys.activation}). It owns the record's wire names and its moves:
 * <pre>
 *   queued ──claim──▶ running (attempt n, leased) ──ended──▶ success | error | timeout | memory_limit | expired
 *                        │ lease ran out, another delivery claims
 *                        ▼
 *                    attempt n: lost; running (attempt n+1)
 * </pre>
 * An attempt that ran to its end after another took over, or after the record ended, stays visible as
 * {@code superseded} with the status it {@code ran_to}; the record's status is the standing attempt's.
 *
 * <p>Immutable: every move returns a new record. The document keeps members it does not know, so records written
 * by a newer platform survive a read and a compare-and-set by an older one.
 */
public final class ActivationRecord {

  public static final String ACTIVATION_ID = "activation_id";
  public static final String REQUEST_ID = "request_id";
  public static final String TENANT = "tenant";
  public static final String NAMESPACE = "namespace";
  public static final String FUNCTION = "function";
  public static final String REF = "ref";
  public static final String VERSION = "version";
  public static final String TRIGGER = "trigger";
  public static final String QUEUED_AT_MS = "queued_at_ms";
  public static final String STATUS = "status";
  public static final String ATTEMPT = "attempt";
  public static final String ATTEMPTS = "attempts";
  public static final String START_MS = "start_ms";
  public static final String LEASE_UNTIL_MS = "lease_until_ms";
  public static final String END_MS = "end_ms";
  public static final String DURATION_MS = "duration_ms";

  public static final String INIT_MS = "init_ms";
  /** How the sandbox context started: {@code cold}, {@code prewarmed} or {@code warm}. */
  public static final String START = "start";
  public static final String RESPONSE = "response";
  public static final String ERROR = "error";
  public static final String LOGS = "logs";
  /** Members of an entry of {@code attempts}. */
  public static final String INVOKER = "invoker";
  public static final String STARTED_AT_MS = "started_at_ms";
  public static final String OUTCOME = "outcome";
  public static final String ENDED_AT_MS = "ended_at_ms";
  public static final String RAN_TO = "ran_to";
  /** Outcome of an attempt whose lease ran out while it was running: its invoker is taken for dead. */
  public static final String LOST = "lost";
  /** Outcome of an attempt that ran to its end after another attempt took the record over. */
  public static final String SUPERSEDED = "superseded";

  /** Never changed once the record is built: every move makes a new record from a copy. */
  private final JsonObject json;
  /**
   * {@link #encode()}, made once: an activation's record is encoded for its write and again as the expected value
   * of the compare-and-set that ends it, and encoding was a visible share of an embedded activation's CPU. A
   * decoded record keeps the text it was read from, which is what a compare-and-set must match.
   */
  private String encoded;

  private ActivationRecord(JsonObject json) {
    this.json = json;
  }

  /** A record as stored; the text is the KV value. */
  public static ActivationRecord decode(String stored) {
    ActivationRecord record = new ActivationRecord(new JsonObject(Objects.requireNonNull(stored, "stored")));
    record.encoded = stored;
    return record;
  }

  public static ActivationRecord fromJson(JsonObject json) {
    return new ActivationRecord(json.copy());
  }

  /** The record of a request waiting in the queue: what a caller that stopped waiting may already read. */
  public static ActivationRecord queued(InvocationRequest request) {
    return new ActivationRecord(base(request).put(STATUS, ActivationStatus.QUEUED.wire()));
  }

  /** The running record of a first attempt, for a request that has no record yet. */
  public static ActivationRecord firstAttempt(InvocationRequest request, String invokerId, long nowMs, long leaseMs) {
    return attemptAfter(null, request, invokerId, nowMs, leaseMs);
  }

  /**
   * The running record of the attempt after this one, leased from {@code nowMs}: a running attempt it replaces
   * is marked {@link #LOST}; a queued record's first attempt keeps its {@code queued_at_ms}.
   */
  public ActivationRecord nextAttempt(InvocationRequest request, String invokerId, long nowMs, long leaseMs) {
    return attemptAfter(this, request, invokerId, nowMs, leaseMs);
  }

  private static ActivationRecord attemptAfter(ActivationRecord current, InvocationRequest request, String invokerId,
                                               long nowMs, long leaseMs) {
    JsonArray attempts = new JsonArray();
    int attempt = 1;
    JsonObject running = base(request);
    if (current != null) {
      attempts = current.json.getJsonArray(ATTEMPTS, new JsonArray()).copy();
      if (current.status() == ActivationStatus.RUNNING) {
        int lost = current.attempt();
        JsonObject entry = attemptEntry(attempts, lost);
        if (entry != null && entry.getValue(OUTCOME) == null) {
          entry.put(OUTCOME, LOST).put(ENDED_AT_MS, nowMs);
        }
        attempt = lost + 1;
      }
      if (current.json.containsKey(QUEUED_AT_MS)) {
        running.put(QUEUED_AT_MS, current.json.getLong(QUEUED_AT_MS));
      }
    }
    attempts.add(new JsonObject().put(ATTEMPT, attempt).put(INVOKER, invokerId).put(STARTED_AT_MS, nowMs));
    return new ActivationRecord(running
        .put(STATUS, ActivationStatus.RUNNING.wire())
        .put(ATTEMPT, attempt)
        .put(ATTEMPTS, attempts)
        .put(START_MS, nowMs)
        .put(LEASE_UNTIL_MS, nowMs + leaseMs));
  }

  private static JsonObject base(InvocationRequest request) {
    return new JsonObject()
        .put(ACTIVATION_ID, request.activationId())
        .put(REQUEST_ID, request.requestId())
        .put(TENANT, request.tenant())
        .put(NAMESPACE, request.namespace())
        .put(FUNCTION, request.function())
        .put(REF, request.ref())
        .put(VERSION, request.version())
        .put(TRIGGER, request.trigger().toJson())
        .put(QUEUED_AT_MS, request.publishedAtMs());
  }

  /** This record's attempt ended with {@code outcome}: the terminal record, without a lease. */
  public ActivationRecord ended(ActivationOutcome outcome) {
    int attempt = attempt();
    JsonObject terminal = json.copy().mergeIn(outcome.toJson());
    terminal.put(ATTEMPT, attempt).remove(LEASE_UNTIL_MS);
    JsonObject entry = attemptEntry(terminal.getJsonArray(ATTEMPTS, new JsonArray()), attempt);
    if (entry != null) {
      entry.put(OUTCOME, outcome.status().wire()).put(ENDED_AT_MS, outcome.endMs());
    }
    return new ActivationRecord(terminal);
  }

  /**
   * Notes on attempt {@code attempt}'s entry that it ran to {@code outcome} after losing the record; the record's
   * status stays. Empty when there is nothing to note (no such entry, or already noted).
   */
  public Optional<ActivationRecord> superseded(int attempt, ActivationOutcome outcome) {
    JsonObject updated = json.copy();
    JsonObject entry = attemptEntry(updated.getJsonArray(ATTEMPTS, new JsonArray()), attempt);
    if (entry == null || SUPERSEDED.equals(entry.getString(OUTCOME))) {
      return Optional.empty();
    }
    entry.put(OUTCOME, SUPERSEDED).put(RAN_TO, outcome.status().wire()).put(ENDED_AT_MS, outcome.endMs());
    return Optional.of(new ActivationRecord(updated));
  }

  /** The result message of this (terminal) record, for the request that caused it. */
  public InvocationResult toResult(InvocationRequest request) {
    JsonObject error = json.getJsonObject(ERROR);
    // the result never carries a stack: that stays in the record, for readers with activation:read
    JsonObject publicError = error == null ? null
        : new JsonObject().put("code", error.getString("code")).put("message", error.getString("message"));
    long start = json.getLong(START_MS, request.publishedAtMs());
    return new InvocationResult(request.activationId(), request.requestId(), request.replyTo(), request.tenant(),
        request.namespace(), request.function(), json.getLong(VERSION, request.version()), status(),
        json.getJsonObject(RESPONSE), publicError, start, json.getLong(END_MS, start));
  }

  public String activationId() {
    return json.getString(ACTIVATION_ID);
  }

  public String tenant() {
    return json.getString(TENANT);
  }

  public String namespace() {
    return json.getString(NAMESPACE);
  }

  public ActivationStatus status() {
    return ActivationStatus.fromWire(json.getString(STATUS));
  }

  /** The attempt that runs, or that produced the terminal record. */
  public int attempt() {
    return json.getInteger(ATTEMPT, 1);
  }

  public long startMs() {
    return json.getLong(START_MS);
  }

  /** Until when the running attempt's invoker holds the run; 0 when no lease is held. */
  public long leaseUntilMs() {
    return json.getLong(LEASE_UNTIL_MS, 0L);
  }

  /** The invoker of the current attempt, or {@code null} when none has started. */
  public String attemptInvoker() {
    JsonObject entry = attemptEntry(json.getJsonArray(ATTEMPTS, new JsonArray()), attempt());
    return entry == null ? null : entry.getString(INVOKER);
  }

  /** What the logs members say was stored; nothing for a record that is not terminal. */
  public ActivationOutcome.Logs logs() {
    JsonObject logs = json.getJsonObject(LOGS, new JsonObject());
    return new ActivationOutcome.Logs(logs.getInteger("count", 0), logs.getInteger("chunks", 0),
        logs.getBoolean("truncated", false));
  }

  /** A list entry: the record without its (possibly large) response and its attempts. */
  public JsonObject summary() {
    JsonObject summary = json.copy();
    summary.remove(RESPONSE);
    summary.remove(ATTEMPTS);
    return summary;
  }

  /** The whole record, as the control API answers it. */
  public JsonObject toJson() {
    return json.copy();
  }

  /** The stored text; a compare-and-set swaps against exactly this. */
  public String encode() {
    String text = encoded;
    if (text == null) {
      // two threads may both encode: the same text, and a String is safe to publish without a lock
      text = json.encode();
      encoded = text;
    }
    return text;
  }

  private static JsonObject attemptEntry(JsonArray attempts, int attempt) {
    for (int i = 0; i < attempts.size(); i++) {
      JsonObject a = attempts.getJsonObject(i);
      if (a.getInteger(ATTEMPT) == attempt) {
        return a;
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ActivationRecord that && json.equals(that.json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return encode();
  }
}
