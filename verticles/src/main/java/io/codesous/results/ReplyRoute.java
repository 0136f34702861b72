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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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

  /**
   * A waiter, linked into the list of the waiters registered with the same wait. Each list is in registration
   * order, so its deadlines ascend and its head is the first to run out.
   */
  private static final class Waiter {
    final String activationId;
    final Promise<Optional<InvocationResult>> promise = Promise.promise();
    final long deadlineNanos;
    final Waiters list;
    Waiter previous;
    Waiter next;

    Waiter(String activationId, long deadlineNanos, Waiters list) {
      this.activationId = activationId;
      this.deadlineNanos = deadlineNanos;
      this.list = list;
    }
  }

  /** The waiters of one wait, oldest first; a waiter leaves it in constant time wherever it is. */
  private static final class Waiters {
    final long waitMs;
    Waiter head;
    Waiter tail;

    Waiters(long waitMs) {
      this.waitMs = waitMs;
    }

    void append(Waiter waiter) {
      waiter.previous = tail;
      if (tail == null) {
        head = waiter;
      } else {
        tail.next = waiter;
      }
      tail = waiter;
    }

    void unlink(Waiter waiter) {
      if (waiter.previous == null) {
        head = waiter.next;
      } else {
        waiter.previous.next = waiter.next;
      }
      if (waiter.next == null) {
        tail = waiter.previous;
      } else {
        waiter.next.previous = waiter.previous;
      }
      waiter.previous = null;
      waiter.next = null;
    }
  }

  /** The longest wait a route keeps; a longer one is cut to it, so a deadline in nanoseconds cannot overflow. */
  private static final long MAX_WAIT_MS = TimeUnit.DAYS.toMillis(365);

  private final Vertx vertx;
  private final String route;
  /** The event loop this route belongs to; requests run on duplicates of its context, on this same thread. */
  private final Thread loop;
  /** The context the route was opened on, where its consumer answers waiters. */
  private final Context home;
  private final Map<String, Waiter> waiting = new HashMap<>();
  /**
   * The waiters by their wait. A route arms one Vert.x timer, for the earliest deadline, instead of one per waiter:
   * a timer per request put the event loop's timer queue (a heap of every pending wait) and the map of timers
   * on the path of every invoke and every scheduled run, and a result arriving in time still had to cancel its
   * timer. Waits are few and repeat (a gateway waits a function's timeout plus margins, a scheduler lane the
   * same; a Cadence poller's vary, but it waits for a bounded number of tasks), so the lists are few and the earliest
   * deadline is among their heads.
   */
  private final Map<Long, Waiters> byWait = new HashMap<>();
  private final MessageConsumer<Object> consumer;
  /** The armed timer, or -1; it fires at {@link #timerAtNanos}. */
  private long timerId = -1;
  private long timerAtNanos = Long.MAX_VALUE;

  private ReplyRoute(Vertx vertx, String route) {
    this.vertx = vertx;
    this.route = route;
    this.loop = Thread.currentThread();
    this.home = Vertx.currentContext();
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
   * Waits for the result of {@code activationId}; register before publishing the request. A second registration of
   * an id still waited for answers the first as if its wait had run out.
   *
   * @param waitMs how long to wait, at least 1 ms
   * @return the result, or an empty optional when {@code waitMs} passed first (or the route closed)
   */
  public Future<Optional<InvocationResult>> register(String activationId, long waitMs) {
    confined();
    long wait = Math.min(Math.max(1, waitMs), MAX_WAIT_MS);
    long now = System.nanoTime();
    Waiters list = byWait.computeIfAbsent(wait, Waiters::new);
    Waiter waiter = new Waiter(activationId, now + TimeUnit.MILLISECONDS.toNanos(wait), list);
    list.append(waiter);
    Waiter earlier = waiting.put(activationId, waiter);
    if (waiter.deadlineNanos < timerAtNanos) {
      arm(waiter.deadlineNanos, now);
    }
    if (earlier != null) {
      leave(earlier);
      // answered once the route holds the new waiter: its callback may register the id again
      earlier.promise.tryComplete(Optional.empty());
    }
    return waiter.promise.future();
  }

  /** Gives up on a request (e.g. its publish failed); its waiter is not answered. */
  public void cancel(String activationId) {
    confined();
    Waiter waiter = waiting.remove(activationId);
    if (waiter != null) {
      leave(waiter);
    }
  }

  /** Answers every waiter as "no result yet" and stops listening. */
  public Future<Void> close() {
    confined();
    disarm();
    List<Waiter> all = new ArrayList<>(waiting.values());
    waiting.clear();
    byWait.clear();
    for (Waiter waiter : all) {
      waiter.promise.tryComplete(Optional.empty());
    }
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
    Waiter waiter = waiting.remove(result.activationId());
    if (waiter != null) {
      // the timer stays armed: when it fires it finds the next deadline, which is cheaper than re-arming now
      leave(waiter);
      waiter.promise.tryComplete(Optional.of(result));
    }
  }

  /** Takes a waiter out of its list, and the list out of the route once empty. */
  private void leave(Waiter waiter) {
    Waiters list = waiter.list;
    list.unlink(waiter);
    if (list.head == null) {
      byWait.remove(list.waitMs, list);
    }
  }

  /** Answers the waiters whose deadline passed, then arms the timer for the earliest one left. */
  private void expire() {
    if (timerId != -1) {
      // armed again (for an earlier deadline) since this expiry was scheduled: that timer does the work
      return;
    }
    timerAtNanos = Long.MAX_VALUE;
    long now = System.nanoTime();
    List<Waiter> expired = new ArrayList<>();
    long earliest = Long.MAX_VALUE;
    for (Iterator<Waiters> lists = byWait.values().iterator(); lists.hasNext(); ) {
      Waiters list = lists.next();
      Waiter head = list.head;
      while (head != null && head.deadlineNanos - now <= 0) {
        list.unlink(head);
        waiting.remove(head.activationId, head);
        expired.add(head);
        head = list.head;
      }
      if (head == null) {
        lists.remove();
      } else if (head.deadlineNanos < earliest) {
        earliest = head.deadlineNanos;
      }
    }
    if (earliest != Long.MAX_VALUE) {
      arm(earliest, now);
    }
    // answered last: a waiter's callback may register again, which must find the route consistent
    for (Waiter waiter : expired) {
      waiter.promise.tryComplete(Optional.empty());
    }
  }

  private void arm(long atNanos, long nowNanos) {
    disarm();
    // rounded up, so the timer never fires before the deadline it is armed for
    long delayMs = Math.max(1, (atNanos - nowNanos + 999_999) / 1_000_000);
    timerAtNanos = atNanos;
    // the timer fires on the context of the call that armed it, a request's duplicate with that request's log
    // context; the waiters it answers belong to other requests too, so they are answered on the route's own context,
    // as results are
    timerId = vertx.setTimer(delayMs, id -> {
      if (id == timerId) {
        timerId = -1;
        home.runOnContext(v -> expire());
      }
    });
  }

  private void disarm() {
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
      timerId = -1;
      timerAtNanos = Long.MAX_VALUE;
    }
  }

  private void confined() {
    if (Thread.currentThread() != loop) {
      throw new IllegalStateException("reply route " + route + " is used from another thread than its event loop");
    }
  }
}
