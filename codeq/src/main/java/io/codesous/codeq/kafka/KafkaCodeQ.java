package io.codesous.codeq.kafka;

import io.codesous.codeq.CallerContext;
import io.codesous.codeq.CodeQ;
import io.codesous.codeq.CodeQArguments;
import io.codesous.codeq.CodeQException;
import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.SubscribeOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.admin.KafkaAdminClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The production queue: codeQ topics are Kafka topics, codeQ consumer groups are Kafka consumer
 * groups. Administration goes through vertx-kafka-client; publishing calls the Kafka producer from
 * the caller's thread when that cannot block (see {@link KafkaPublisher}); each subscription drives
 * a Kafka consumer on a thread of its own (see {@link KafkaSubscription} for why).
 *
 * <p>Semantics callers can rely on, beyond {@link CodeQ}:
 *
 * <ul>
 *   <li>{@link #publish} completes once every in-sync replica has the message ({@code acks=all},
 *       idempotent producer). The key picks the partition, so same-key messages keep their order;
 *       publishes racing a partition's creation all land (see {@link KafkaPublisher}).
 *       A topic missing at first use is created with {@link KafkaCodeQOptions#getPartitions()}
 *       partitions; existing topics are used as they are.
 *   <li>Messages reach a handler in offset order per partition, round-robin across partitions, on
 *       the context that subscribed, at most {@code maxInFlight} unacknowledged at a time. While
 *       no credit is free, or fetched messages wait for one, the subscription's partitions are
 *       paused; a returned credit resumes them. One poll brings in at most {@code maxInFlight}
 *       messages, so a subscription never holds more than twice its credits.
 *   <li>{@link CodeQMessage#ack()} completes when the acknowledgement is recorded. The group's
 *       committed offset per partition moves to the first message not yet acknowledged (never past
 *       a gap), every {@link KafkaCodeQOptions#getCommitIntervalMs()}, on close and before a
 *       rebalance moves the partition. A member that dies without closing redelivers what it
 *       acknowledged since its last commit.
 *   <li>{@link CodeQMessage#release()} redelivers the message to the same subscription: the
 *       consumer seeks back to it; later messages still in flight stay with their handlers and
 *       are not delivered twice, later messages not yet handed out are read again after it.
 *   <li>{@link CodeQMessage#deliveryAttempt()} counts the handler calls of the group for the
 *       message. The subscription counts its own; the counts of messages at or after the
 *       committed offset travel with each commit (as offset metadata), so a member taking a
 *       partition over after a close or a rebalance continues them. What a member that died
 *       counted since its last commit is lost: its messages come again with a lower count,
 *       possibly 1.
 *   <li>Closing a subscription commits what was completed and leaves the group, so its
 *       partitions (with their unacknowledged messages) move to the other members at once. When a
 *       rebalance takes a partition away, the member first waits up to
 *       {@link KafkaCodeQOptions#getRevocationGraceMs()} for its handlers to finish that
 *       partition's messages. Acknowledging a message whose subscription closed or lost its
 *       partition fails: it is delivered again.
 *   <li>A handler that throws keeps its message in flight; the failure goes to the context's
 *       exception handler.
 * </ul>
 *
 * <p>Failures are reported as {@link CodeQException}s. {@link #stop()} closes every
 * subscription, then the producer and the admin client; {@link #start()} may be called again.
 */
public class KafkaCodeQ implements CodeQ {

  private static final AtomicInteger CONSUMER_SEQUENCE = new AtomicInteger();

  private final Vertx vertx;
  private final KafkaCodeQOptions options;
  /** Tells this instance's clients apart in the broker's view. */
  private final String instanceId = UUID.randomUUID().toString().substring(0, 8);
  private final Set<KafkaSubscription> subscriptions = ConcurrentHashMap.newKeySet();
  private volatile Clients clients;
  /** The start in progress or done; guarded by this. */
  private Future<Void> starting;
  /** Counts starts and stops, so that a start overtaken by a stop lets its clients go. */
  private long lifecycle;

  /** The producer, the admin client, and what uses the admin client. */
  private record Clients(
      KafkaPublisher publisher, KafkaAdminClient admin, TopicProvisioner topics) {
  }

  /** @throws IllegalArgumentException when the options contradict each other */
  public KafkaCodeQ(Vertx vertx, KafkaCodeQOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = new KafkaCodeQOptions(Objects.requireNonNull(options, "options"));
    this.options.validate();
  }

  @Override
  public synchronized Future<Void> start() {
    if (starting == null) {
      long generation = ++lifecycle;
      // creating clients resolves the bootstrap addresses: not on an event loop
      Future<Void> attempt = vertx.executeBlocking(this::createClients)
          .compose(created -> install(created, generation))
          .recover(failure -> Future.failedFuture(KafkaFailures.translate(
              "connecting to Kafka at " + options.getBootstrapServers(), failure)));
      starting = attempt;
      attempt.onFailure(failure -> forgetStart(attempt));
    }
    // one start serves every caller until it ends: each continues on its own context
    return CallerContext.completeOnCaller(starting);
  }

  private synchronized Future<Void> install(Clients created, long generation) {
    if (generation != lifecycle) {
      // stopped while the clients were being created
      return close(created).transform(ignored -> Future.failedFuture(notStarted()));
    }
    clients = created;
    return Future.succeededFuture();
  }

  private synchronized void forgetStart(Future<Void> attempt) {
    if (starting == attempt) {
      starting = null;
    }
  }

  private Clients createClients() {
    String prefix = options.getClientIdPrefix() + "-" + instanceId;
    KafkaPublisher publisher = new KafkaPublisher(
        KafkaClientConfigs.producer(options, prefix + "-producer"), prefix + "-blocking-sends");
    KafkaAdminClient admin;
    try {
      admin = KafkaAdminClient.create(vertx, KafkaClientConfigs.admin(options, prefix + "-admin"));
    } catch (RuntimeException failure) {
      publisher.close(vertx, 0);
      throw failure;
    }
    return new Clients(publisher, admin,
        new TopicProvisioner(admin, options.getPartitions(), options.getReplicationFactor()));
  }

  /**
   * Completes on the caller's context, although the subscriptions it closes complete on their
   * handlers' contexts and the clients on their own threads.
   */
  @Override
  public Future<Void> stop() {
    return CallerContext.completeOnCaller(stopAll());
  }

  private Future<Void> stopAll() {
    Clients stopping;
    synchronized (this) {
      stopping = clients;
      clients = null;
      starting = null;
      lifecycle++;
    }
    List<Future<Void>> closing = new ArrayList<>();
    for (KafkaSubscription subscription : subscriptions) {
      subscriptions.remove(subscription);
      closing.add(subscription.close());
    }
    Future<?> subscriptionsClosed = Future.join(closing);
    if (stopping == null) {
      return subscriptionsClosed.mapEmpty();
    }
    return subscriptionsClosed
        .transform(ignored -> close(stopping))
        .recover(failure -> Future.failedFuture(KafkaFailures.translate("stopping", failure)));
  }

  private Future<Void> close(Clients closing) {
    return Future.join(
            // publishes in flight get up to their delivery timeout to complete
            closing.publisher().close(vertx, options.getDeliveryTimeoutMs()),
            // what the admin client still does (a ping, a topic creation) is abandoned at
            // once (vertx-kafka-client reads 0 as "wait for ever")
            closing.admin().close(1))
        .mapEmpty();
  }

  @Override
  public Future<Long> lag(String topic, String group) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(group, "group");
    Clients current = clients;
    if (current == null) {
      return Future.failedFuture(notStarted());
    }
    return CallerContext.completeOnCaller(ConsumerLag.of(current.admin(), topic, group)
        .timeout(options.getPingTimeoutMs(), TimeUnit.MILLISECONDS)
        .recover(failure -> failure instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException
            || failure.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException
            ? Future.succeededFuture(0L)
            : Future.failedFuture(KafkaFailures.translate("reading the lag of group " + group + " on " + topic,
                failure))));
  }

  /** Asks the cluster to describe itself, within {@link KafkaCodeQOptions#getPingTimeoutMs()}. */
  @Override
  public Future<Void> ping() {
    Clients current = clients;
    if (current == null) {
      return Future.failedFuture(notStarted());
    }
    return CallerContext.completeOnCaller(current.admin().describeCluster()
        .timeout(options.getPingTimeoutMs(), TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(KafkaFailures.translate(
            "pinging Kafka at " + options.getBootstrapServers() + " (timeout "
                + options.getPingTimeoutMs() + " ms)", failure))));
  }

  @Override
  public Future<Void> publish(String topic, String key, Buffer payload) {
    CodeQArguments.publish(topic, payload);
    // copied now: the caller may change its buffer as soon as this returns
    byte[] bytes = payload.getBytes();
    Clients current = clients;
    if (current == null) {
      return Future.failedFuture(notStarted());
    }
    Context caller = vertx.getOrCreateContext();
    // a topic's first use is shared by its concurrent callers: a failure may arrive elsewhere
    return CallerContext.completeOnCaller(current.topics().ensure(topic)
        .compose(ignored -> current.publisher().send(caller, topic, key, bytes))
        .recover(failure -> Future.failedFuture(
            KafkaFailures.translate("publishing to " + topic, failure))));
  }

  @Override
  public Future<CodeQSubscription> subscribe(
      SubscribeOptions subscribeOptions, Handler<CodeQMessage> handler) {
    CodeQArguments.subscribe(subscribeOptions, handler);
    String topic = subscribeOptions.getTopic();
    String group = subscribeOptions.getGroup();
    Clients current = clients;
    if (current == null) {
      return Future.failedFuture(notStarted());
    }
    Context handlerContext = vertx.getOrCreateContext();
    String clientId = options.getClientIdPrefix() + "-" + instanceId + "-consumer-"
        + CONSUMER_SEQUENCE.incrementAndGet();
    return CallerContext.completeOnCaller(current.topics().ensure(topic).compose(ignored -> {
      if (clients != current) {
        return Future.failedFuture(notStarted());
      }
      KafkaSubscription subscription = new KafkaSubscription(options, topic, group,
          subscribeOptions.getMaxInFlight(), clientId, handlerContext, handler);
      subscriptions.add(subscription);
      return subscription.start()
          .onFailure(failure -> subscriptions.remove(subscription))
          .map(started -> new Registered(subscription));
    }));
  }

  /** Forgets the subscription once closed, so that {@link #stop()} does not hold on to it. */
  private final class Registered implements CodeQSubscription {

    private final KafkaSubscription subscription;

    Registered(KafkaSubscription subscription) {
      this.subscription = subscription;
    }

    /** Completes on the caller's context; the consumer leaves its group on a thread of its own. */
    @Override
    public Future<Void> close() {
      return CallerContext.completeOnCaller(
          subscription.close().onComplete(ignored -> subscriptions.remove(subscription)));
    }
  }

  private static CodeQException notStarted() {
    return new CodeQException("the Kafka codeQ is not started");
  }
}
