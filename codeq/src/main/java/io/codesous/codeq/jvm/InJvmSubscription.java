package io.codesous.codeq.jvm;

import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.HandlerDrain;
import io.codesous.codeq.Outbox;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One member of a consumer group. Its mutable state is guarded by the topic's monitor; the handler
 * only ever runs on the subscribing context, outside that monitor.
 */
final class InJvmSubscription implements CodeQSubscription {

  private final Topic topic;
  private final ConsumerGroup group;
  private final int maxInFlight;
  /** Deliveries holding a credit, by message sequence. */
  private final Map<Long, InJvmDelivery> inFlight = new LinkedHashMap<>();
  private final Outbox<InJvmDelivery> outbox = new Outbox<>();
  private final HandlerDrain drain;
  private boolean closed;

  InJvmSubscription(
      Topic topic,
      ConsumerGroup group,
      Context context,
      Handler<CodeQMessage> handler,
      int maxInFlight) {
    this.topic = topic;
    this.group = group;
    this.maxInFlight = maxInFlight;
    this.drain = new HandlerDrain(context, handler, () -> topic.nextForHandler(this),
        "topic " + topic.name() + ", group " + group.name());
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
    return outbox.add(delivery);
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

  /** See {@link Outbox#next()}; under the topic's monitor. */
  InJvmDelivery nextForHandler() {
    return outbox.next();
  }

  static void scheduleDrains(Collection<InJvmSubscription> subscriptions) {
    for (InJvmSubscription subscription : subscriptions) {
      subscription.drain.schedule();
    }
  }

  /** Delivered and neither acknowledged nor released; read under the topic's lock. */
  int inFlightCount() {
    return inFlight.size();
  }
}
