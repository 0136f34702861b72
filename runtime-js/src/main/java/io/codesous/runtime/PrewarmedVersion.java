package io.codesous.runtime;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.graalvm.polyglot.Source;

/**
 * What a {@link ContextPool} holds for one hot version: its ready contexts and the state of their refill. Every
 * field but the final ones is read and written under the pool's lock.
 */
final class PrewarmedVersion {

  /**
   * A version's contexts in the pool: bundle, tenant, namespace, function, version and {@link ContextShape}. Unlike a
   * warm context's key it leaves out the trigger type: a context in the pool has begun no activation (what the
   * trigger type decides, such as whether {@code cs.cadence} exists, is installed when one begins), so a context
   * prepared when the version was announced serves its first activation whatever triggered it.
   */
  record Key(String bundleId, String tenant, String namespace, String function, long version, ContextShape shape) {

    static Key of(ExecutionRequest request, ContextShape shape) {
      InvocationInfo info = request.info();
      return new Key(request.bundleId(), info.tenant(), info.namespace(), info.function(), info.version(), shape);
    }
  }

  final ContextShape shape;
  final ExecutionRequest request;
  final Source entry;
  final ArrayDeque<GuestContext> ready = new ArrayDeque<>();
  long lastUsedNanos;
  /** Announced with {@link ContextPool#prepare}: kept ready before its second activation. */
  boolean announced;
  /** Activations that took a context of this version (an announcement counts as one). */
  int takes;
  /** Activations holding a context taken from the pool, not yet released. */
  int active;
  /** Activations of this version that have ended; until the first has, refills wait for it (see ContextPool). */
  int ended;
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

  /** Counts an announcement as a first take, so the version is kept ready from now on. */
  CompletableFuture<Void> announce() {
    announced = true;
    takes = Math.max(takes, 1);
    return firstReady;
  }

  /** Counts an activation's take; returns a ready context, or {@code null} when none is. */
  GuestContext take() {
    takes++;
    active++;
    return ready.poll();
  }

  /** An activation holding a context taken from this version has ended. */
  void released() {
    active--;
    ended++;
  }

  /** Whether the version's first context is still being prepared, so a take finding none waits for it. */
  boolean firstBeingPrepared() {
    return refilling && preparable && !firstReady.isDone();
  }

  /**
   * Whether to start refilling now. Never beside the version's first activation: on a busy core the first invoke
   * after publishing would share it with another evaluation of the module (or two, when it arrived before the
   * announcement); its release starts the refill instead.
   */
  boolean wantsRefill(int perBundle) {
    return (announced || takes >= 2) && !refilling && !removed && ready.size() < depth(perBundle)
        && !(ended == 0 && active > 0);
  }

  /**
   * How many contexts to keep ready: one for a version announced but not yet invoked (its first activation takes it;
   * a version that is published and never invoked costs one evaluation), the pool's depth once it is in use.
   */
  int depth(int perBundle) {
    return takes >= 2 ? perBundle : Math.min(1, perBundle);
  }

  /**
   * Evaluates the entry module in {@code created} under the version's init and memory budgets, as a
   * {@link ModulePreparation} named after no activation.
   */
  void evaluateIn(GuestContext created, List<ExecutionGuard> guards, Executor canceller)
      throws ModulePreparation.Failed {
    InvocationInfo template = request.info();
    InvocationInfo info = new InvocationInfo("preparation", null, template.tenant(), template.namespace(),
        template.function(), template.version(), template.triggerType(), null, null);
    new ModulePreparation(created, entry, info, request.limits(), request.initTimeoutMs(), canceller).run(guards);
  }

  /**
   * Marks the version gone from the pool; its ready contexts go to {@code closing}, closed outside the lock.
   *
   * @return {@code true}
   */
  boolean remove(List<GuestContext> closing) {
    removed = true;
    firstReady.complete(null);
    closing.addAll(ready);
    ready.clear();
    return true;
  }

  /** How the operator's log names the version: "version 3 of tenant/namespace/function". */
  @Override
  public String toString() {
    InvocationInfo info = request.info();
    return "version " + info.version() + " of " + info.tenant() + "/" + info.namespace() + "/" + info.function();
  }
}
