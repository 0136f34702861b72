package io.codesous.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * {@code cs_auth_failures_total{reason}}: requests refused for who made them. The reasons are the few an operator
 * acts on differently; which check a bad token failed stays in the debug log, as it does for the caller.
 */
public final class AuthMeters {

  /** Counts nowhere (an empty composite registry hands out no-op meters): for callers without a registry. */
  public static final AuthMeters NONE = new AuthMeters(new CompositeMeterRegistry());

  private final Counter missingToken;
  private final Counter invalidToken;
  private final Counter forbidden;

  public AuthMeters(MeterRegistry registry) {
    this.missingToken = counter(registry, "missing_token");
    this.invalidToken = counter(registry, "invalid_token");
    this.forbidden = counter(registry, "forbidden");
  }

  private static Counter counter(MeterRegistry registry, String reason) {
    return Counter.builder("cs.auth.failures").description("Requests refused for their credentials or roles")
        .tag("reason", reason).register(registry);
  }

  /** No bearer token at all. */
  public void missingToken() {
    missingToken.increment();
  }

  /** A token that did not verify (malformed, unknown key, expired, bad claims). */
  public void invalidToken() {
    invalidToken.increment();
  }

  /** A verified principal whose roles do not allow the action. */
  public void forbidden() {
    forbidden.increment();
  }
}
