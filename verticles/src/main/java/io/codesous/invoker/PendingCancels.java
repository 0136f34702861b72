package io.codesous.invoker;

import io.codesous.spec.message.InvocationRequest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The activations this invoker has claimed and not yet recorded, and where each is: still waiting (for a sandbox
 * worker, or for its secrets), cancelled while it waited, or in the sandbox. A cancel for one that waits is noted here
 * and the activation never enters the sandbox: it ends {@code cancelled} when its turn comes, with no further claim
 * or record round trip. The runtime can stop only what it runs, so without this a cancel arriving while the
 * activation waits for a worker would be lost. Touched from the invoker's event loop and the sandbox workers.
 */
final class PendingCancels {

  /** Where a held activation is. */
  enum State {
    WAITING, CANCELLED, IN_SANDBOX
  }

  private final Map<String, State> held = new ConcurrentHashMap<>();

  private static String key(String tenant, String namespace, String activationId) {
    return tenant + '\n' + namespace + '\n' + activationId;
  }

  private static String key(InvocationRequest request) {
    return key(request.tenant(), request.namespace(), request.activationId());
  }

  /** The activation was claimed here. */
  void hold(InvocationRequest request) {
    held.put(key(request), State.WAITING);
  }

  /** Its terminal record is written (or the run given up): nothing is held any more. */
  void release(InvocationRequest request) {
    held.remove(key(request));
  }

  /**
   * On a sandbox worker, right before the sandbox runs it: {@code false} when it was cancelled while it waited, and
   * must not run; otherwise it is marked as in the sandbox, where a cancel goes to the runtime.
   */
  boolean enter(InvocationRequest request) {
    State state = held.computeIfPresent(key(request), (k, s) -> s == State.WAITING ? State.IN_SANDBOX : s);
    return state != State.CANCELLED;
  }

  /**
   * A cancel for an activation: notes it for one that waits here. Answers where the activation is, {@code null}
   * when this invoker holds none of that id in that tenant and namespace.
   */
  State cancel(String tenant, String namespace, String activationId) {
    return held.computeIfPresent(key(tenant, namespace, activationId),
        (k, s) -> s == State.WAITING ? State.CANCELLED : s);
  }

  /** Where an activation held here is; {@code null} when none is. */
  State state(String tenant, String namespace, String activationId) {
    return held.get(key(tenant, namespace, activationId));
  }
}
