package io.codesous.runtime;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.graalvm.polyglot.Source;

/**
 * What a {@link ContextPool} holds for one hot version: its ready contexts and the state of their refill. Every
 * field but the final ones is read and written under the pool's lock.
 */
final class PrewarmedVersion {
  final ContextShape shape;
  final ExecutionRequest request;
  final Source entry;
  final ArrayDeque<GuestContext> ready = new ArrayDeque<>();
  long lastUsedNanos;
  int takes;
  boolean refilling;
  boolean removed;
  /** Cleared for good once a preparation of the module fails. */
  boolean preparable;
  /** Completed once the first context is ready, or once none will be (removed, closed, failed). */
  final CompletableFuture<Void> firstReady = new CompletableFuture<>();

  PrewarmedVersion(ContextShape shape, ExecutionRequest request, Source entry, boolean preparable) {
    this.shape = shape;
    this.request = request;
    this.entry = entry;
    this.preparable = preparable;
  }

  /** Marks the version gone from the pool; its ready contexts go to {@code closing}, closed outside the lock. */
  void remove(List<GuestContext> closing) {
    removed = true;
    firstReady.complete(null);
    closing.addAll(ready);
    ready.clear();
  }
}
