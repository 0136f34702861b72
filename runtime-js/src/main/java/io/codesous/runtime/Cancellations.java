package io.codesous.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The activations running now, by activation id, so that one can be stopped on request: {@link #cancel(String, String, String)}
 * terminates it with {@code CANCELLED} the way the {@link Watchdog} terminates one at its deadline, which closes the
 * guest's context with cancellation and so stops even a busy loop; the worker thread is free once the guest has left
 * the context.
 *
 * <p>An id that is not running here (not started yet, already ended, or running on another runtime) is not
 * cancelled: the caller learns it from the result and may try again or tell its own caller.
 */
final class Cancellations implements ExecutionGuard {

  private final Map<String, GuardedExecution> running = new ConcurrentHashMap<>();

  @Override
  public Watch watch(GuardedExecution execution) {
    String id = execution.info().activationId();
    running.put(id, execution);
    return () -> running.remove(id, execution);
  }

  /**
   * @return whether an activation of that id was running here and this call stopped it; the tenant and namespace
   * must match too, so a cancel can only reach its own tenant's activation
   */
  boolean cancel(String tenant, String namespace, String activationId) {
    GuardedExecution execution = running.get(activationId);
    return execution != null && execution.info().tenant().equals(tenant)
        && execution.info().namespace().equals(namespace) && execution.terminate(Termination.cancelled());
  }
}
