package io.codesous.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.util.Locale;

/**
 * {@code cs_egress_requests_total{outcome}}: functions' {@code cs.http.fetch} calls by how they ended:
 * {@code response} (any status), {@code denied} (the version may not fetch, or not from that host) or the egress
 * client's error code in lower case ({@code cs_egress_blocked}, {@code cs_egress_timeout}, ...), a closed set.
 */
public final class EgressMeters {

  /** Counts nowhere: for callers without a registry. */
  public static final EgressMeters NONE = new EgressMeters(new CompositeMeterRegistry());
  public static final String RESPONSE = "response";
  public static final String DENIED = "denied";

  private final MeterCache<Counter> counters;

  public EgressMeters(MeterRegistry registry) {
    this.counters = new MeterCache<>((outcome, ignored) -> Counter.builder("cs.egress.requests")
        .description("Functions' HTTP requests by outcome").tag("outcome", outcome).register(registry));
    counters.get(RESPONSE, "");
    counters.get(DENIED, "");
  }

  public void ended(String outcome) {
    counters.get(outcome.toLowerCase(Locale.ROOT), "").increment();
  }
}
