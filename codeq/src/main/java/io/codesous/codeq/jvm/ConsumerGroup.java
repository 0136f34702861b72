package io.codesous.codeq.jvm;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A consumer group's view of a topic: the messages it has yet to hand out and the subscriptions
 * sharing them. Guarded by the topic's monitor.
 *
 * <p>The queue is ordered by publish sequence. Messages given back (release, close) were handed
 * out before anything still waiting, so ordering by sequence puts them at the front, in publish
 * order among themselves; that single order is what keeps same-key messages in sequence.
 */
final class ConsumerGroup {

  private final Topic topic;
  private final String name;
  private final TreeMap<Long, QueuedMessage> waiting = new TreeMap<>();
  private final List<InJvmSubscription> members = new ArrayList<>();
  /** Where the round-robin search for a member with a free credit starts next time. */
  private int nextMember;

  ConsumerGroup(Topic topic, String name) {
    this.topic = topic;
    this.name = name;
  }

  String name() {
    return name;
  }

  void enqueue(StoredMessage message) {
    waiting.put(message.sequence(), new QueuedMessage(message, 0));
  }

  void requeue(StoredMessage message, int attemptsSoFar) {
    waiting.put(message.sequence(), new QueuedMessage(message, attemptsSoFar));
  }

  int waitingCount() {
    return waiting.size();
  }

  void join(InJvmSubscription member) {
    members.add(member);
  }

  void leave(InJvmSubscription member) {
    int index = members.indexOf(member);
    if (index < 0) {
      return;
    }
    members.remove(index);
    if (index < nextMember) {
      nextMember--;
    }
  }

  List<InJvmSubscription> members() {
    return members;
  }

  /**
   * Hands waiting messages to members with free credits, round-robin.
   *
   * @param toWake collects the members whose outbox needs a drain scheduled once the lock is
   *     released
   */
  void dispatch(List<InJvmSubscription> toWake) {
    while (!waiting.isEmpty()) {
      InJvmSubscription member = nextMemberWithCredit();
      if (member == null) {
        return;
      }
      QueuedMessage next = waiting.pollFirstEntry().getValue();
      InJvmDelivery delivery =
          new InJvmDelivery(topic, member, next.message(), next.attemptsSoFar() + 1);
      if (member.hold(delivery)) {
        toWake.add(member);
      }
    }
  }

  private InJvmSubscription nextMemberWithCredit() {
    int count = members.size();
    for (int i = 0; i < count; i++) {
      int index = (nextMember + i) % count;
      InJvmSubscription member = members.get(index);
      if (member.hasCredit()) {
        nextMember = (index + 1) % count;
        return member;
      }
    }
    return null;
  }
}
