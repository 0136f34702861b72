package io.codesous.codeq;

import java.util.ArrayDeque;

/**
 * One subscription's deliveries handed out but not yet passed to its handler, in hand-out order.
 * One ordered queue drained on the handler's context keeps handler calls in hand-out order,
 * whichever thread did the hand-out.
 *
 * <p>Not thread-safe: guarded by the monitor of the backend object that owns it, the same monitor
 * that guards its deliveries' states.
 *
 * @param <D> the backend's delivery type
 */
public final class Outbox<D extends Delivery> {

  private final ArrayDeque<D> queue = new ArrayDeque<>();
  private boolean drainScheduled;

  /**
   * Queues a delivery for the handler.
   *
   * @return whether the caller must schedule a drain (see {@link HandlerDrain#schedule()}); false
   *     while one is already scheduled, which then also takes this delivery
   */
  public boolean add(D delivery) {
    queue.addLast(delivery);
    if (drainScheduled) {
      return false;
    }
    drainScheduled = true;
    return true;
  }

  /**
   * The next delivery for the handler, which from now on counts as an attempt; deliveries taken
   * back since they were queued are skipped. {@code null} when there is none, which also ends the
   * scheduled drain: the next {@link #add} asks for a new one.
   */
  public D next() {
    D next;
    while ((next = queue.pollFirst()) != null) {
      if (next.isInFlight()) {
        next.markSeenByHandler();
        return next;
      }
    }
    drainScheduled = false;
    return null;
  }

  /** Forgets every queued delivery (the subscription closed; its deliveries were withdrawn). */
  public void clear() {
    queue.clear();
  }
}
