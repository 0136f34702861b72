package io.codesous.runtime;

import java.util.Map;

/**
 * Watches one activation's capability calls as they reach its {@link HostBindings}, so the platform can time and trace
 * them (a span per call) without the runtime knowing how. The bindings name their observer
 * ({@link HostBindings#observer()}).
 *
 * <p>A call is observed once the runtime's own checks passed and the bindings are about to be called: a call refused
 * for its arguments' size never reaches the platform and is not observed. Every observed call ends exactly once, also
 * one still pending when the activation ends (its stage is cancelled: {@link #CANCELLED}), so an observer never leaks
 * what it started.
 */
@FunctionalInterface
public interface HostCallObserver {

  /** The outcome of a call whose stage completed normally. */
  String OK = "ok";
  /** The outcome of a call still pending when its activation ended. */
  String CANCELLED = "cancelled";

  /** Observes nothing. */
  HostCallObserver NONE = op -> Call.NONE;

  /**
   * A call to {@code cs.<op>} starts: {@code op} is {@code kv.get}, {@code kv.set}, {@code kv.del}, {@code kv.list},
   * {@code codeq.publish}, {@code http.fetch} or {@code cadence.heartbeat}. Called on the activation's thread; must
   * neither block nor throw.
   */
  Call started(String op);

  /** One observed call. */
  interface Call {

    Call NONE = outcome -> {
    };

    /**
     * Headers the request an {@code http.fetch} makes carries onward, over the function's own of the same name: the
     * trace context of the call's span ({@code traceparent}, {@code tracestate}), lower-case names. Empty for none.
     */
    default Map<String, String> outgoingHeaders() {
      return Map.of();
    }

    /**
     * The call's stage completed, on whatever thread completed it: {@code outcome} is {@link #OK}, {@link #CANCELLED}
     * or the code the function sees ({@link HostCallException#code()}, {@link HostCallException#HOST_ERROR} for any
     * other failure). Must neither block nor throw.
     */
    void ended(String outcome);
  }
}
