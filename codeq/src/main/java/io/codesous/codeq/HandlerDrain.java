package io.codesous.codeq;

import io.vertx.core.Context;
import io.vertx.core.Handler;

import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one subscription's handler on the context that subscribed, one delivery at a time, in the
 * order its {@link Outbox} hands them over.
 *
 * <p>A handler that throws keeps its message in flight (holding its credit) until it is released,
 * acknowledged or the subscription closes: redelivering at once would spin on a poison message.
 * The failure goes to the context's exception handler, or to the log when it has none.
 */
public final class HandlerDrain {

  private static final Logger LOG = LoggerFactory.getLogger(HandlerDrain.class);

  /**
   * Handler calls per event-loop task: a consumer that acks synchronously would otherwise keep
   * the loop busy for as long as the queue has messages, starving its other work.
   */
  static final int HANDLER_CALLS_PER_TASK = 64;

  private final Context context;
  private final Handler<CodeQMessage> handler;
  private final Supplier<? extends CodeQMessage> nextForHandler;
  private final String subscriber;

  /**
   * @param nextForHandler takes {@link Outbox#next()} under the owner's monitor
   * @param subscriber names the subscription in the log, e.g. its topic and group
   */
  public HandlerDrain(Context context, Handler<CodeQMessage> handler,
      Supplier<? extends CodeQMessage> nextForHandler, String subscriber) {
    this.context = Objects.requireNonNull(context, "context");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.nextForHandler = Objects.requireNonNull(nextForHandler, "nextForHandler");
    this.subscriber = subscriber;
  }

  /** Drains on the handler's context; call when {@link Outbox#add} asks for it. Any thread. */
  public void schedule() {
    context.runOnContext(ignored -> drain());
  }

  private void drain() {
    for (int calls = 0; calls < HANDLER_CALLS_PER_TASK; calls++) {
      CodeQMessage next = nextForHandler.get();
      if (next == null) {
        return;
      }
      try {
        handler.handle(next);
      } catch (Throwable failure) {
        reportHandlerFailure(failure);
      }
    }
    // the outbox still counts this drain as scheduled, so nobody else schedules: go on in a new task
    schedule();
  }

  private void reportHandlerFailure(Throwable failure) {
    Handler<Throwable> contextHandler = context.exceptionHandler();
    if (contextHandler != null) {
      contextHandler.handle(failure);
    } else {
      LOG.error("codeQ handler for " + subscriber + " failed", failure);
    }
  }
}
