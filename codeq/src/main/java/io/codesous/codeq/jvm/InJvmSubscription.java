package io.codesous.codeq.jvm;

import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.CodeQSubscription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One member of a consumer group. Its mutable state is guarded by the topic's monitor; the handler
 * only ever runs on {@link #context}, outside that monitor.
 */
final class InJvmSubscription implements CodeQSubscription {

  private static final System.Logger LOG = System.getLogger(InJvmSubscription.class.getName());

  /**
   * Handler calls per event-loop task: a consumer that acks synchronously would otherwise keep
   * the loop busy for as long as the queue has messages, starving its other work.
   */
  private static final int HANDLER_CALLS_PER_TASK = 64;

  private final Topic topic;
  private final ConsumerGroup group;
  private final Context context;
  private final Handler<CodeQMessage> handler;
  private final int maxInFlight;
  /** Deliveries holding a credit, by message sequence. */
  private final Map<Long, InJvmDelivery> inFlight = new LinkedHashMap<>();
  /**
   * Deliveries handed over but not yet passed to the handler. One ordered outbox drained on the
   * context keeps handler calls in hand-out order whichever thread did the hand-out.
   */
  private final ArrayDeque<InJvmDelivery> outbox = new ArrayDeque<>();
  private boolean drainScheduled;
  private boolean closed;

  InJvmSubscription(
      Topic topic,
      ConsumerGroup group,
      Context context,
      Handler<CodeQMessage> handler,
      int maxInFlight) {
    this.topic = topic;
    this.group = group;
    this.context = context;
    this.handler = handler;
    this.maxInFlight = maxInFlight;
  }

  @Override
  public Future<Void> close() {
    topic.close(this);
    return Future.succeededFuture();
  }

  ConsumerGroup group() {
    return group;
  }

  boolean isClosed() {
    return closed;
  }

  boolean hasCredit() {
    return !closed && inFlight.size() < maxInFlight;
  }

  /** @return whether a drain must be scheduled on the context for this delivery to reach the handler */
  boolean hold(InJvmDelivery delivery) {
    inFlight.put(delivery.message().sequence(), delivery);
    outbox.addLast(delivery);
    if (drainScheduled) {
      return false;
    }
    drainScheduled = true;
    return true;
  }

  void forget(InJvmDelivery delivery) {
    inFlight.remove(delivery.message().sequence());
  }

  /** Marks the subscription closed and hands back every delivery it still holds. */
  List<InJvmDelivery> closeAndTakeInFlight() {
    closed = true;
    List<InJvmDelivery> held = new ArrayList<>(inFlight.values());
    inFlight.clear();
    outbox.clear();
    return held;
  }

  /**
   * Next delivery for the handler, skipping any returned since it was queued; clears the
   * drain-scheduled flag when there is none so the next hand-out schedules a new drain.
   */
  InJvmDelivery nextForHandler() {
    InJvmDelivery next;
    while ((next = outbox.pollFirst()) != null) {
      if (next.state() == InJvmDelivery.State.IN_FLIGHT) {
        next.markSeenByHandler();
        return next;
      }
    }
    drainScheduled = false;
    return null;
  }

  void scheduleDrain() {
    context.runOnContext(ignored -> drain());
  }

  static void scheduleDrains(Collection<InJvmSubscription> subscriptions) {
    for (InJvmSubscription subscription : subscriptions) {
      subscription.scheduleDrain();
    }
  }

  private void drain() {
    for (int calls = 0; calls < HANDLER_CALLS_PER_TASK; calls++) {
      InJvmDelivery next = topic.nextForHandler(this);
      if (next == null) {
        return;
      }
      try {
        handler.handle(next);
      } catch (Throwable failure) {
        reportHandlerFailure(failure);
      }
    }
    // drainScheduled is still set, so nobody else schedules: continue in a fresh task
    scheduleDrain();
  }

  /**
   * A throwing handler keeps the message in flight (holding its credit) until it is released,
   * acknowledged or the subscription closes: redelivering at once would spin on a poison message.
   */
  private void reportHandlerFailure(Throwable failure) {
    Handler<Throwable> contextHandler = context.exceptionHandler();
    if (contextHandler != null) {
      contextHandler.handle(failure);
    } else {
      LOG.log(
          Level.ERROR,
          "codeQ handler for topic " + topic.name() + ", group " + group.name() + " failed",
          failure);
    }
  }
}
