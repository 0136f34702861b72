package io.codesous.runtime;

import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * A polyglot context prepared for activations: the bundle as its file system, the runtime's script installed, and
 * the bridge its host functions go through. Used by one thread at a time; handed between threads only through the
 * pools, whose locks order the accesses.
 */
final class GuestContext {

  private final Context context;
  private final GuestApi.Bound api;
  private final GuestBridge bridge;
  private final ContextShape shape;
  /** The handler found when the entry module was evaluated, kept for later activations of a warm context. */
  private Value handler;
  /** What the module logged when it was evaluated ahead of the activation (see {@link ModulePreparation}). */
  private List<LogEntry> preparedLogs = List.of();
  private long preparedInitMs = -1;
  /** How long the activation that took this prepared context waited for its evaluation to end; 0 when it did not. */
  private long awaitedNanos;
  private int uses;
  /** Created by the prewarm pool ahead of any activation's asking. */
  private boolean createdAhead;
  /** The pool entry whose activation holds this context, until the pool hears of its release. */
  private PrewarmedVersion heldFrom;
  private long allocatedBytes;
  private long idleSinceNanos;

  GuestContext(Context context, GuestApi.Bound api, GuestBridge bridge, ContextShape shape) {
    this.context = context;
    this.api = api;
    this.bridge = bridge;
    this.shape = shape;
  }

  Context context() {
    return context;
  }

  GuestApi.Bound api() {
    return api;
  }

  GuestBridge bridge() {
    return bridge;
  }

  ContextShape shape() {
    return shape;
  }

  /** {@code null} until an activation has evaluated the entry module in this context. */
  Value handler() {
    return handler;
  }

  void handler(Value found) {
    this.handler = found;
  }

  /** Records that the module was evaluated ahead of any activation, taking {@code initMs}, and what it logged. */
  void prepared(List<LogEntry> logs, long initMs) {
    this.preparedLogs = List.copyOf(logs);
    this.preparedInitMs = initMs;
  }

  /** Whether the module was evaluated ahead of the activation and has not been handed to one yet. */
  boolean isPrepared() {
    return preparedInitMs >= 0 && uses == 0;
  }

  /** Records that the activation taking this context waited {@code nanos} for its module's evaluation ahead. */
  void awaitedPreparation(long nanos) {
    this.awaitedNanos = nanos;
  }

  /** How long the activation taking this context waited for its module's evaluation ahead; 0 when it did not. */
  long awaitedPreparationNanos() {
    return awaitedNanos;
  }

  /** The prepared evaluation's log entries, handed out once. */
  List<LogEntry> takePreparedLogs() {
    List<LogEntry> taken = preparedLogs;
    preparedLogs = List.of();
    return taken;
  }

  /** Counts one finished activation that allocated {@code bytes}. */
  void recordUse(long bytes) {
    uses++;
    allocatedBytes += bytes;
  }

  void markCreatedAhead() {
    this.createdAhead = true;
  }

  void heldFrom(PrewarmedVersion entry) {
    this.heldFrom = entry;
  }

  /** The pool entry an activation took this context from, handed out once; {@code null} for a warm reuse. */
  PrewarmedVersion takeHeldFrom() {
    PrewarmedVersion entry = heldFrom;
    heldFrom = null;
    return entry;
  }

  boolean createdAhead() {
    return createdAhead;
  }

  int uses() {
    return uses;
  }

  /** Bytes allocated by all activations so far: an upper bound of what the context can hold. */
  long allocatedBytes() {
    return allocatedBytes;
  }

  long idleSinceNanos() {
    return idleSinceNanos;
  }

  void idleSince(long nanos) {
    this.idleSinceNanos = nanos;
  }

  /** Closes the context, cancelling anything still running in it; never throws. */
  void close() {
    try {
      context.close(true);
    } catch (PolyglotException | IllegalStateException e) {
      // Already closed, or reporting the cancellation of what ran: nothing is left to release.
    }
  }
}
