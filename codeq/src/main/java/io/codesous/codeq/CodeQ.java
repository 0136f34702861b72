package io.codesous.codeq;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

import java.util.Objects;

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
 *
 * <p>What every backend does alike (the contract tests hold each backend to it):
 *
 * <ul>
 *   <li>A future, of the queue, a subscription or a message, completes on the Vert.x context that
 *       made the call (event loop or worker), even where the work behind it is shared with other
 *       callers or finishes on a client's own thread; a call from outside any context completes
 *       on whatever thread finished it.
 *   <li>Before {@link #start()} and after {@link #stop()}, {@code ping}, {@code publish} and
 *       {@code subscribe} fail with {@link CodeQException}, and so does acknowledging a message
 *       that was in flight when the queue stopped.
 *   <li>Acknowledging a message after it was released or its subscription closed fails with
 *       {@link CodeQException}: the message is delivered again, so the stale copy cannot complete
 *       it.
 *   <li>A handler that throws keeps its message in flight, holding its credit, until it is
 *       released, acknowledged or its subscription closes; the failure goes to the context's
 *       exception handler. (Redelivering at once would spin on a poison message.)
 *   <li>Missing arguments are programming errors, thrown at once as
 *       {@link NullPointerException}s naming them (see {@link CodeQArguments}).
 * </ul>
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
   * Appends a message given as an object (see {@link TypedMessage}). A queue that keeps it in this process hands
   * the object to its subscribers ({@link CodeQMessage#typed()}); this default publishes its encoding.
   */
  default Future<Void> publish(String topic, String key, TypedMessage message) {
    Objects.requireNonNull(message, "message");
    return publish(topic, key, message.encoded());
  }

  /**
   * Subscribes to a topic as a member of a consumer group.
   *
   * <p>Backpressure by credits: at most {@link SubscribeOptions#getMaxInFlight()} messages are
   * handed to {@code handler} and not yet acknowledged or released at any time; the rest wait in
   * the queue. The handler runs on the Vert.x context that called {@code subscribe}.
   */
  Future<CodeQSubscription> subscribe(SubscribeOptions options, Handler<CodeQMessage> handler);

  /**
   * How far {@code group} is behind on {@code topic}: messages published to it that the group has not yet
   * acknowledged, delivered or not. Kafka: per partition, the end offset minus the group's committed offset (the
   * earliest retained offset where it committed none), summed. In-JVM: the group's waiting and in-flight
   * messages. A topic or group the queue does not know is 0 behind. Fails with {@link CodeQException} when the
   * queue is not started or does not answer.
   */
  Future<Long> lag(String topic, String group);
}
