package io.codesous.cadence;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Heartbeats of the running activities, confined to the poller's event loop. What a function sends with
 * {@code cs.cadence.heartbeat} is rate-limited per activation to its binding's {@code heartbeat.max_per_second}:
 * within an interval only the latest details are kept, and they go out when the interval ends. Besides, an
 * activity with a heartbeat timeout that this poller runs is heartbeated at a third of that timeout with its
 * latest details, so a function that stays quiet while it works is not taken for dead.
 */
final class Heartbeats {

  /** What the poller knows of one running activity. */
  private static final class State {
    final byte[] token;
    final String identity;
    final double perSecond;
    final long keepAliveMs;
    long lastSentMs;
    byte[] lastDetails;
    byte[] pending;
    boolean flushScheduled;

    State(byte[] token, String identity, double perSecond, int heartbeatTimeoutSeconds) {
      this.token = token;
      this.identity = identity;
      this.perSecond = perSecond;
      this.keepAliveMs = heartbeatTimeoutSeconds <= 0 ? 0 : heartbeatTimeoutSeconds * 1000L / 3;
    }
  }

  private final Vertx vertx;
  private final CadenceCalls calls;
  private final LongSupplier clockMs;
  private final Counter sent;
  private final BiConsumer<String, byte[]> cancelRequested;
  private final Map<String, State> states = new HashMap<>();

  /** @param cancelRequested told the activation id and token when Cadence asks to stop an activity */
  Heartbeats(Vertx vertx, CadenceCalls calls, LongSupplier clockMs, Counter sent,
             BiConsumer<String, byte[]> cancelRequested) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.calls = Objects.requireNonNull(calls, "calls");
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    this.sent = Objects.requireNonNull(sent, "sent");
    this.cancelRequested = Objects.requireNonNull(cancelRequested, "cancelRequested");
  }

  /** Starts heartbeating an activity (its task was just taken, or a heartbeat arrived for it). */
  void track(String activationId, byte[] token, String identity, double perSecond, int heartbeatTimeoutSeconds) {
    states.computeIfAbsent(activationId, id -> {
      State state = new State(token, identity, perSecond, heartbeatTimeoutSeconds);
      state.lastSentMs = clockMs.getAsLong();
      return state;
    });
  }

  boolean tracks(String activationId) {
    return states.containsKey(activationId);
  }

  void forget(String activationId) {
    states.remove(activationId);
  }

  /** A heartbeat from the function: sent now if the rate allows, else with the latest details when it does. */
  void offer(String activationId, byte[] details) {
    State state = states.get(activationId);
    if (state == null) {
      return;
    }
    state.pending = details;
    if (state.flushScheduled) {
      return;
    }
    long intervalMs = (long) Math.ceil(1000 / state.perSecond);
    long waitMs = state.lastSentMs + intervalMs - clockMs.getAsLong();
    if (waitMs <= 0) {
      flush(activationId, state);
    } else {
      state.flushScheduled = true;
      vertx.setTimer(waitMs, t -> {
        state.flushScheduled = false;
        if (states.get(activationId) == state) {
          flush(activationId, state);
        }
      });
    }
  }

  /** Heartbeats every tracked activity that has been quiet for a third of its heartbeat timeout. */
  void keepAlive() {
    long now = clockMs.getAsLong();
    states.forEach((id, state) -> {
      if (state.keepAliveMs > 0 && !state.flushScheduled && now - state.lastSentMs >= state.keepAliveMs) {
        state.pending = state.lastDetails;
        flush(id, state);
      }
    });
  }

  private void flush(String activationId, State state) {
    byte[] details = state.pending;
    state.pending = null;
    state.lastDetails = details;
    state.lastSentMs = clockMs.getAsLong();
    sent.increment();
    calls.heartbeat(state.token, details, state.identity).onSuccess(stop -> {
      if (stop && states.remove(activationId) != null) {
        cancelRequested.accept(activationId, state.token);
      }
    });
  }
}
