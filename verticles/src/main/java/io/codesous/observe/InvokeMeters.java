package io.codesous.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * {@code cs_invoke_duration_seconds}: how long a caller waited for an invoke, from the request reaching the gateway
 * to its answer, by trigger and outcome (see spec/metrics.md for the outcomes).
 */
public final class InvokeMeters {

  public static final String SUCCESS = "success";
  /** The function ran and failed (error, timeout, memory limit). */
  public static final String FUNCTION_ERROR = "function_error";
  /** The wait ended before the result: 202 with the activation id. */
  public static final String PENDING = "pending";
  /** Refused before anything was queued: a bad name, no such function, no permission (4xx). */
  public static final String REJECTED = "rejected";
  /** The platform could not serve it (5xx of its own, e.g. the queue unavailable). */
  public static final String UNAVAILABLE = "unavailable";

  private final MeterCache<Timer> timers;

  public InvokeMeters(MeterRegistry registry) {
    this.timers = new MeterCache<>((trigger, outcome) -> Timer.builder("cs.invoke.duration")
        .description("Time from an invoke reaching the gateway to its answer")
        .tag("trigger", trigger).tag("outcome", outcome)
        .serviceLevelObjectives(Buckets.LATENCY)
        .register(registry));
    for (String outcome : new String[] {SUCCESS, FUNCTION_ERROR, PENDING, REJECTED, UNAVAILABLE}) {
      timers.get("http", outcome);
    }
  }

  public void record(String trigger, String outcome, long nanos) {
    timers.get(trigger, outcome).record(nanos, TimeUnit.NANOSECONDS);
  }
}
