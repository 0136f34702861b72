package io.codesous.cadence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The poller's meters in the process's registry: {@code cs.cadence.polls}, {@code cs.cadence.tasks.received}
 * (by binding), {@code cs.cadence.tasks.completed} (by outcome: {@code completed}, a failure reason,
 * {@code cancelled}, {@code gone}), {@code cs.cadence.respond.errors}, {@code cs.cadence.heartbeats} and the gauge
 * {@code cs.cadence.inflight} (by binding).
 */
final class CadenceMetrics {

  private final MeterRegistry registry;
  private final Map<String, PollLoops> loops;
  private final Set<String> gauged = new HashSet<>();
  private final Counter polls;
  private final Counter respondErrors;
  private final Counter heartbeats;

  CadenceMetrics(MeterRegistry registry, Map<String, PollLoops> loops) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.loops = Objects.requireNonNull(loops, "loops");
    this.polls = registry.counter("cs.cadence.polls");
    this.respondErrors = registry.counter("cs.cadence.respond.errors");
    this.heartbeats = registry.counter("cs.cadence.heartbeats");
  }

  Counter polls() {
    return polls;
  }

  Counter heartbeats() {
    return heartbeats;
  }

  void received(String binding) {
    registry.counter("cs.cadence.tasks.received", "binding", binding).increment();
    if (gauged.add(binding)) {
      Gauge.builder("cs.cadence.inflight", loops, l -> {
        PollLoops running = l.get(binding);
        return running == null ? 0 : running.inflight();
      }).tag("binding", binding).register(registry);
    }
  }

  void completed(String outcome) {
    registry.counter("cs.cadence.tasks.completed", "outcome", outcome).increment();
  }

  void respondError() {
    respondErrors.increment();
  }
}
