package io.codesous.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * What an invoker counts per activation: its end by status and trigger ({@code cs_activations_total}, with the
 * function's labels when {@code metrics.perFunction} is on), the time it waited in the queue, the time it ran,
 * and how its sandbox context started. Meters are created once per label set and looked up after that.
 */
public final class ActivationMeters {

  /** How an activation's context started; the words are defined in spec/metrics.md. */
  public static final String[] START_KINDS = {"cold", "warm", "prewarmed"};
  private static final String[] TRIGGERS = {"http", "schedule"};
  private static final String[] STATUSES = {"success", "error", "timeout", "memory_limit"};

  private final FunctionLabels functions;
  /** Keyed by function key ("" when per-function labels are off), then trigger + status. */
  private final MeterCache<MeterCache<Counter>> activations;
  private final MeterCache<Timer> queue;
  private final MeterCache<Timer> run;
  private final MeterCache<Counter> starts;

  public ActivationMeters(MeterRegistry registry, ObservabilityOptions options) {
    this.functions = options.isPerFunction() ? new FunctionLabels(options.getMaxFunctionSeries()) : null;
    this.activations = new MeterCache<>((function, ignored) -> new MeterCache<>((trigger, status) ->
        Counter.builder("cs.activations")
            .description("Activations that ended, by status and trigger")
            .tags(functions == null ? Tags.empty() : functions.tags(function))
            .tag("trigger", trigger).tag("status", status)
            .register(registry)));
    this.queue = new MeterCache<>((trigger, ignored) -> Timer.builder("cs.activation.queue")
        .description("Time from an activation's request being queued to its run starting")
        .tag("trigger", trigger).serviceLevelObjectives(Buckets.LATENCY).register(registry));
    this.run = new MeterCache<>((trigger, status) -> Timer.builder("cs.activation.run")
        .description("Time an activation ran in the sandbox, module evaluation included")
        .tag("trigger", trigger).tag("status", status).serviceLevelObjectives(Buckets.LATENCY).register(registry));
    this.starts = new MeterCache<>((kind, ignored) -> Counter.builder("cs.activation.starts")
        .description("Activations by how their sandbox context started")
        .tag("kind", kind).register(registry));
    for (String trigger : TRIGGERS) {
      queue.get(trigger, "");
      for (String status : STATUSES) {
        run.get(trigger, status);
        if (functions == null) {
          activations.get("", "").get(trigger, status);
        }
      }
    }
    for (String kind : START_KINDS) {
      starts.get(kind, "");
    }
  }

  /**
   * An activation that ran in the sandbox (its end is counted by {@link #ended} once its record is written).
   *
   * @param queuedMs  from its request being queued to its run starting
   * @param startKind {@code cold}, {@code warm}, {@code prewarmed}, or {@code null} when it got no context
   */
  public void ran(String trigger, String status, long queuedMs, long runMs, String startKind) {
    queue.get(trigger, "").record(Math.max(0, queuedMs), TimeUnit.MILLISECONDS);
    run.get(trigger, status).record(Math.max(0, runMs), TimeUnit.MILLISECONDS);
    if (startKind != null) {
      starts.get(startKind, "").increment();
    }
  }

  /** An activation that ended, whether or not it reached the sandbox. */
  public void ended(String tenant, String namespace, String function, String trigger, String status) {
    String key = functions == null ? "" : functions.key(tenant, namespace, function);
    activations.get(key, "").get(trigger, status).increment();
  }
}
