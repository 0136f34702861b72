package io.codesous.codeq.jvm;

import io.codesous.codeq.CodeQ;
import io.codesous.codeq.CodeQArguments;
import io.codesous.codeq.CodeQException;
import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.TypedMessage;
import io.codesous.codeq.SubscribeOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The embedded mode's queue: topics and consumer groups held in this JVM's memory, for a
 * single-process deployment that needs no broker. Nothing survives the process.
 *
 * <p>Semantics callers can rely on, beyond {@link CodeQ}:
 *
 * <ul>
 *   <li>Topics appear on first use. A consumer group appears on its first subscribe and starts at
 *       the oldest message the topic still retains, so requests published before any invoker
 *       subscribed are not lost. A group is never forgotten while the queue lives, even when it has
 *       no subscribers left: its messages keep waiting for it.
 *   <li>A message is retained until every group the topic knows has acknowledged it; messages
 *       published while the topic has no group are kept for the first one. At
 *       {@link InJvmCodeQOptions#getMaxRetainedPerTopic()} retained messages, or past
 *       {@link InJvmCodeQOptions#getMaxRetainedBytesPerTopic()} bytes of them, publish fails with a
 *       {@link CodeQException} rather than dropping anything a group waits for. A topic that no
 *       group reads keeps only its newest messages up to its bounds, like a log's retention
 *       limit: nobody waits for them, and its publishers must not be stopped by them.
 *   <li>Each group has one queue in publish order; its subscribers take turns (round-robin among
 *       those with a free credit). Messages beyond the credits wait in that queue, never in a
 *       subscriber, so any member with a free credit can take them.
 *   <li>Released messages, and those held by a closing subscription, go back to the front of their
 *       group's queue in publish order, with the next {@link CodeQMessage#deliveryAttempt()}.
 *       Acknowledging such a stale delivery afterwards fails and leaves the message queued.
 *   <li>Handlers run on the context that called {@code subscribe}, one message at a time per
 *       subscription, in hand-out order. A handler that throws keeps its message in flight (the
 *       failure goes to the context's exception handler); it should release the message instead.
 *   <li>Payloads are copied on publish and again per delivery, so neither the publisher nor a
 *       handler can change what another consumer receives. A message published as an object
 *       ({@link TypedMessage}) is handed to each subscriber as that object, shared and never changed,
 *       and encoded only when a handler asks for its bytes.
 * </ul>
 *
 * <p>All methods are thread-safe. {@link #stop()} closes every subscription; the retained messages
 * stay, and publish and subscribe fail until {@link #start()} is called again.
 */
public class InJvmCodeQ implements CodeQ {

  private final Vertx vertx;
  private final InJvmCodeQOptions options;
  private final ConcurrentMap<String, Topic> topics = new ConcurrentHashMap<>();
  private volatile boolean started;

  public InJvmCodeQ(Vertx vertx) {
    this(vertx, new InJvmCodeQOptions());
  }

  public InJvmCodeQ(Vertx vertx, InJvmCodeQOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = new InJvmCodeQOptions(Objects.requireNonNull(options, "options"));
  }

  @Override
  public Future<Void> start() {
    started = true;
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    // cleared before closing so that no subscribe can slip in behind the closing sweep
    started = false;
    for (Topic topic : topics.values()) {
      topic.closeAllSubscriptions();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> ping() {
    return started ? Future.succeededFuture() : Future.failedFuture(notStarted());
  }

  @Override
  public Future<Void> publish(String topic, String key, Buffer payload) {
    CodeQArguments.publish(topic, payload);
    if (!started) {
      return Future.failedFuture(notStarted());
    }
    return topicNamed(topic).publish(key, payload.copy(), null);
  }

  /** Keeps the object itself: its subscribers get it from {@link CodeQMessage#typed()}, with no decoding. */
  @Override
  public Future<Void> publish(String topic, String key, TypedMessage message) {
    CodeQArguments.publish(topic, message);
    if (!started) {
      return Future.failedFuture(notStarted());
    }
    return topicNamed(topic).publish(key, null, message);
  }

  @Override
  public Future<CodeQSubscription> subscribe(
      SubscribeOptions options, Handler<CodeQMessage> handler) {
    CodeQArguments.subscribe(options, handler);
    if (!started) {
      return Future.failedFuture(notStarted());
    }
    Context handlerContext = vertx.getOrCreateContext();
    return topicNamed(options.getTopic())
        .subscribe(options.getGroup(), options.getMaxInFlight(), handlerContext, handler);
  }

  @Override
  public Future<Long> lag(String topic, String group) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(group, "group");
    if (!started) {
      return Future.failedFuture(notStarted());
    }
    Topic known = topics.get(topic);
    return Future.succeededFuture(known == null ? 0L : known.lag(group));
  }

  private Topic topicNamed(String name) {
    return topics.computeIfAbsent(
        name, n -> new Topic(n, options.getMaxRetainedPerTopic(), options.getMaxUnreadPerTopic(),
            options.getMaxRetainedBytesPerTopic(), () -> started));
  }

  static CodeQException notStarted() {
    return new CodeQException("the in-JVM codeQ is not started");
  }
}
