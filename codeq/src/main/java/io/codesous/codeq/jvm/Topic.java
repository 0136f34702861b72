package io.codesous.codeq.jvm;

import io.codesous.codeq.CodeQException;
import io.codesous.codeq.TypedMessage;
import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.CodeQSubscription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One topic: the messages it retains and the consumer groups reading it.
 *
 * <p>The topic's monitor guards all mutable state of the topic and of its groups, subscriptions
 * and deliveries. One lock per topic keeps the invariants that span them (credits, retention
 * counts, group queues) easy to hold, while different topics never contend. Handlers are never
 * called under the monitor: each operation collects the subscriptions that were handed new
 * messages and schedules their drains after unlocking.
 */
final class Topic {

  private final String name;
  private final int maxRetained;
  /** The bound while no group reads the topic: see {@link InJvmCodeQOptions#getMaxUnreadPerTopic()}. */
  private final int maxUnread;
  /** The bound of {@link #retainedBytes}: see {@link InJvmCodeQOptions#getMaxRetainedBytesPerTopic()}. */
  private final long maxRetainedBytes;
  /** False once the queue stopped; read under the monitor so no work slips past stop(). */
  private final BooleanSupplier accepting;
  /** Messages not yet acknowledged by every group, in publish order. */
  private final Map<Long, StoredMessage> retained = new LinkedHashMap<>();
  private final Map<String, ConsumerGroup> groups = new HashMap<>();
  /** What {@link #retained} weighs ({@link StoredMessage#heapBytes()}). */
  private long retainedBytes;
  private long nextSequence;

  Topic(String name, int maxRetained, int maxUnread, long maxRetainedBytes, BooleanSupplier accepting) {
    this.name = name;
    this.maxRetained = maxRetained;
    this.maxUnread = maxUnread;
    this.maxRetainedBytes = maxRetainedBytes;
    this.accepting = accepting;
  }

  String name() {
    return name;
  }

  /** @param payload the bytes published, or {@code null} when {@code typed} holds the object published */
  Future<Void> publish(String key, Buffer payload, TypedMessage typed) {
    List<InJvmSubscription> toWake = new ArrayList<>();
    synchronized (this) {
      if (!accepting.getAsBoolean()) {
        return Future.failedFuture(InJvmCodeQ.notStarted());
      }
      long weight = StoredMessage.weigh(key, payload, typed);
      if (!groups.isEmpty() && (retained.size() >= maxRetained || overBytes(weight))) {
        return Future.failedFuture(CodeQException.refusal("topic " + name + " is full: "
            + retained.size() + " messages of about " + retainedBytes + " bytes (of at most " + maxRetained
            + " and " + maxRetainedBytes + ") wait for acknowledgement by its consumer groups"));
      }
      if (groups.isEmpty()) {
        // nobody reads this topic (yet): like a log's retention limit, the oldest make room
        Iterator<StoredMessage> oldest = retained.values().iterator();
        while (retained.size() >= maxUnread || overBytes(weight)) {
          retainedBytes -= oldest.next().heapBytes();
          oldest.remove();
        }
      }
      StoredMessage message = new StoredMessage(name, nextSequence++, key, payload, typed, weight);
      retained.put(message.sequence(), message);
      retainedBytes += message.heapBytes();
      for (ConsumerGroup group : groups.values()) {
        message.expectAckFromOneMoreGroup();
        group.enqueue(message);
        group.dispatch(toWake);
      }
    }
    InJvmSubscription.scheduleDrains(toWake);
    return Future.succeededFuture();
  }

  /** Whether a message of {@code weight} would take the topic past its bound; an empty topic takes any message. */
  private boolean overBytes(long weight) {
    return !retained.isEmpty() && retainedBytes + weight > maxRetainedBytes;
  }

  Future<CodeQSubscription> subscribe(
      String groupName, int maxInFlight, Context context, Handler<CodeQMessage> handler) {
    List<InJvmSubscription> toWake = new ArrayList<>();
    InJvmSubscription subscription;
    synchronized (this) {
      if (!accepting.getAsBoolean()) {
        return Future.failedFuture(InJvmCodeQ.notStarted());
      }
      ConsumerGroup group = groups.computeIfAbsent(groupName, this::startGroupAtOldestRetained);
      subscription = new InJvmSubscription(this, group, context, handler, maxInFlight);
      group.join(subscription);
      group.dispatch(toWake);
    }
    InJvmSubscription.scheduleDrains(toWake);
    return Future.succeededFuture(subscription);
  }

  /** Like Kafka's earliest offset reset: what was published before the group existed still counts. */
  private ConsumerGroup startGroupAtOldestRetained(String groupName) {
    ConsumerGroup group = new ConsumerGroup(this, groupName);
    for (StoredMessage message : retained.values()) {
      message.expectAckFromOneMoreGroup();
      group.enqueue(message);
    }
    return group;
  }

  Future<Void> ack(InJvmDelivery delivery) {
    List<InJvmSubscription> toWake = new ArrayList<>();
    synchronized (this) {
      Optional<Future<Void>> answered = delivery.markAcked();
      if (answered.isPresent()) {
        return answered.get();
      }
      InJvmSubscription subscription = delivery.subscription();
      subscription.forget(delivery);
      StoredMessage message = delivery.message();
      if (message.ackedByOneGroup()) {
        retained.remove(message.sequence());
        retainedBytes -= message.heapBytes();
      }
      subscription.group().dispatch(toWake);
    }
    InJvmSubscription.scheduleDrains(toWake);
    return Future.succeededFuture();
  }

  void release(InJvmDelivery delivery) {
    List<InJvmSubscription> toWake = new ArrayList<>();
    synchronized (this) {
      if (!delivery.markReleased()) {
        return;
      }
      InJvmSubscription subscription = delivery.subscription();
      subscription.forget(delivery);
      giveBack(delivery);
      subscription.group().dispatch(toWake);
    }
    InJvmSubscription.scheduleDrains(toWake);
  }

  void close(InJvmSubscription subscription) {
    List<InJvmSubscription> toWake = new ArrayList<>();
    synchronized (this) {
      closeLocked(subscription);
      subscription.group().dispatch(toWake);
    }
    InJvmSubscription.scheduleDrains(toWake);
  }

  /** Closes every subscription; what they held stays queued for their groups. */
  synchronized void closeAllSubscriptions() {
    for (ConsumerGroup group : groups.values()) {
      for (InJvmSubscription member : new ArrayList<>(group.members())) {
        closeLocked(member);
      }
    }
  }

  /** The group's messages not yet acknowledged: waiting for a member, or delivered and in flight. */
  synchronized long lag(String groupName) {
    ConsumerGroup group = groups.get(groupName);
    if (group == null) {
      return 0;
    }
    long inFlight = 0;
    for (InJvmSubscription member : group.members()) {
      inFlight += member.inFlightCount();
    }
    return group.waitingCount() + inFlight;
  }

  synchronized InJvmDelivery nextForHandler(InJvmSubscription subscription) {
    return subscription.nextForHandler();
  }

  private void closeLocked(InJvmSubscription subscription) {
    if (subscription.isClosed()) {
      return;
    }
    subscription.group().leave(subscription);
    for (InJvmDelivery delivery : subscription.closeAndTakeInFlight()) {
      delivery.withdraw();
      giveBack(delivery);
    }
  }

  /** Puts a delivery that was released or withdrawn back in its group's queue. */
  private void giveBack(InJvmDelivery delivery) {
    delivery.subscription().group().requeue(delivery.message(), delivery.attemptsSoFar());
  }
}
