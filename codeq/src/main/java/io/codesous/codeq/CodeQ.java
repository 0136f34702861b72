package io.codesous.codeq;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * The queue port ("codeQ"): durable topics, consumer groups, at-least-once delivery.
 *
 * <p>Within a group each message is handed to one subscriber; every group sees every message
 * published after the group first subscribed. A group new to a topic starts at the oldest message
 * the topic still retains (Kafka's {@code auto.offset.reset=earliest}), so requests published
 * before the first invoker subscribed are not lost. A message counts as done only when its
 * {@link CodeQMessage#ack()} completes; one never acknowledged is delivered again (to the same
 * group) when it is released with {@link CodeQMessage#release()} or when its subscription closes.
 *
 * <p>A failed future carries a {@link CodeQException}; callers translate it at their edge into
 * {@code CS_UNAVAILABLE}.
 */
public interface CodeQ {

  Future<Void> start();

  /** Closes every subscription (their unacknowledged messages return to their groups). */
  Future<Void> stop();

  /** Succeeds when the queue answers a round trip. */
  Future<Void> ping();

  /**
   * Appends a message. The future completes once the queue has taken responsibility for it.
   *
   * @param key partitioning key (messages with one key keep their order); may be {@code null}
   */
  Future<Void> publish(String topic, String key, Buffer payload);

  /**
   * Subscribes to a topic as a member of a consumer group.
   *
   * <p>Backpressure by credits: at most {@link SubscribeOptions#getMaxInFlight()} messages are
   * handed to {@code handler} and not yet acknowledged or released at any time; the rest wait in
   * the queue. The handler runs on the Vert.x context that called {@code subscribe}.
   */
  Future<CodeQSubscription> subscribe(SubscribeOptions options, Handler<CodeQMessage> handler);
}
