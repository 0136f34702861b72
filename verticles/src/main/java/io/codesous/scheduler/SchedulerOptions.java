package io.codesous.scheduler;

/**
 * How the scheduler paces itself.
 *
 * @param pollMs         how often it looks for due ticks; a tick fires at most this much after its time
 * @param onTimeMs       how late a tick may be and still be recorded {@code fired} rather than caught up or missed
 * @param markerMarginMs how long past the version's timeout an inflight marker outlives a result that never came
 * @param leaseMs        how long a leader's lease lasts unrenewed: the longest a deployment goes without a leader
 *                       when its leader dies
 */
public record SchedulerOptions(long pollMs, long onTimeMs, long markerMarginMs, long leaseMs) {

  public static SchedulerOptions defaults() {
    return new SchedulerOptions(100, 5_000, 30_000, 10_000);
  }
}
