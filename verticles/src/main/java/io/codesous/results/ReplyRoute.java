package io.codesous.results;

import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.message.MalformedMessageException;
import io.codesous.spec.message.ResultDelivery;
import io.codesous.spec.message.Topics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one way a component waits for the results of requests it published: it names this route in the
 * request's {@code reply_to}, the invoker sends the result point to point to {@link Topics#reply} of it, and
 * the result completes the waiter registered under its activation id — an id the publisher minted, never one a
 * caller can choose, so no caller receives another's result. The gateway waits this way; a scheduler or a
 * Cadence poller that needs the result of what it published does too. Consumers of every result (not only
 * those they wait for) read the durable {@code cs.results} topic instead.
 *
 * <p>Confined to one event loop: it is opened on the context that registers waiters (the HTTP verticle's, for
 * the gateway), its consumer sits on that same context, so a result completes its waiter on the loop that
 * serves the request, with no thread hop and no shared map. Calls from any other thread are refused.
 */
public final class ReplyRoute {

  private static final Logger LOG = LoggerFactory.getLogger(ReplyRoute.class);

  private record Waiting(Promise<Optional<InvocationResult>> promise, long timerId) {
  }

  private final Vertx vertx;
  private final String route;
  /** The event loop this route belongs to; requests run on duplicates of its context, on this same thread. */
  private final Thread loop;
  private final Map<String, Waiting> waiting = new HashMap<>();
  private final MessageConsumer<Object> consumer;

  private ReplyRoute(Vertx vertx, String route) {
    this.vertx = vertx;
    this.route = route;
    this.loop = Thread.currentThread();
    ResultDelivery.register(vertx.eventBus());
    this.consumer = vertx.eventBus().consumer(Topics.reply(route), this::onResult);
  }

  /**
   * Listens on {@code cs.reply.<route>}; call on the event loop that will register waiters. The future
   * completes once the consumer is registered (across the cluster, when clustered).
   */
  public static Future<ReplyRoute> open(Vertx vertx, String route) {
    Objects.requireNonNull(route, "route");
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      return Future.failedFuture(new IllegalStateException("a reply route is opened on an event loop"));
    }
    ReplyRoute opened = new ReplyRoute(vertx, route);
    return opened.consumer.completion().map(opened);
  }

  /** What publishers put in {@code reply_to}. */
  public String route() {
    return route;
  }

  /**
   * Waits for the result of {@code activationId}; register before publishing the request.
   *
   * @return the result, or an empty optional when {@code waitMs} passed first (or the route closed)
   */
  public Future<Optional<InvocationResult>> register(String activationId, long waitMs) {
    confined();
    Promise<Optional<InvocationResult>> promise = Promise.promise();
    long timer = vertx.setTimer(waitMs, id -> {
      if (waiting.remove(activationId) != null) {
        promise.tryComplete(Optional.empty());
      }
    });
    waiting.put(activationId, new Waiting(promise, timer));
    return promise.future();
  }

  /** Gives up on a request (e.g. its publish failed). */
  public void cancel(String activationId) {
    confined();
    Waiting w = waiting.remove(activationId);
    if (w != null) {
      vertx.cancelTimer(w.timerId);
    }
  }

  /** Answers every waiter as "no result yet" and stops listening. */
  public Future<Void> close() {
    confined();
    for (Waiting w : new ArrayList<>(waiting.values())) {
      vertx.cancelTimer(w.timerId);
      w.promise.tryComplete(Optional.empty());
    }
    waiting.clear();
    return consumer.unregister();
  }

  private void onResult(Message<Object> message) {
    InvocationResult result;
    try {
      result = ResultDelivery.received(message.body());
    } catch (MalformedMessageException bad) {
      LOG.warn("ignoring a malformed result on {}: {}", message.address(), bad.getMessage());
      return;
    }
    Waiting w = waiting.remove(result.activationId());
    if (w != null) {
      vertx.cancelTimer(w.timerId);
      w.promise.tryComplete(Optional.of(result));
    }
  }

  private void confined() {
    if (Thread.currentThread() != loop) {
      throw new IllegalStateException("reply route " + route + " is used from another thread than its event loop");
    }
  }
}
