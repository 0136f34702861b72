package io.codesous.invoker;

import io.codesous.codeq.CodeQ;
import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.spec.message.MalformedMessageException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * A topic of announcements (a version published, a draft stored) consumed in a group of this invoker's own, so every
 * invoker hears every one. An announcement asks for work done ahead, never for work that must happen: every message
 * is acknowledged whatever came of its work (the work happens anyway when an activation needs it), one that cannot
 * be decoded is logged and acknowledged, and one older than {@link #MAX_AGE_MS} is passed over, because a new group
 * starts at the oldest message the topic retains: a restarted invoker works ahead for what is announced now, not for
 * the topic's history.
 *
 * @param <T> the announcement
 */
final class Announcements<T> {

  private static final Logger LOG = LoggerFactory.getLogger(Announcements.class);
  static final long MAX_AGE_MS = 5 * 60_000L;

  private final CodeQ codeq;
  private final SubscribeOptions subscribe;
  private final Function<Buffer, T> decode;
  private final ToLongFunction<T> announcedAtMs;
  private final Function<T, Future<?>> work;
  private final LongSupplier clockMs;
  private CodeQSubscription subscription;

  /**
   * @param decode        the payload's announcement; throws {@link MalformedMessageException} for another
   * @param announcedAtMs when an announcement was made, epoch ms
   * @param work          what an announcement asks for; its failure is the work's to report
   */
  Announcements(CodeQ codeq, SubscribeOptions subscribe, Function<Buffer, T> decode, ToLongFunction<T> announcedAtMs,
                Function<T, Future<?>> work, LongSupplier clockMs) {
    this.codeq = Objects.requireNonNull(codeq, "codeq");
    this.subscribe = Objects.requireNonNull(subscribe, "subscribe");
    this.decode = Objects.requireNonNull(decode, "decode");
    this.announcedAtMs = Objects.requireNonNull(announcedAtMs, "announcedAtMs");
    this.work = Objects.requireNonNull(work, "work");
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
  }

  Future<Void> start() {
    return codeq.subscribe(subscribe, this::onMessage)
        .onSuccess(s -> subscription = s)
        .mapEmpty();
  }

  Future<Void> stop() {
    return subscription == null ? Future.succeededFuture() : subscription.close();
  }

  private void onMessage(CodeQMessage message) {
    T announcement;
    try {
      announcement = decode.apply(message.payload());
    } catch (MalformedMessageException bad) {
      LOG.warn("ignoring a {} message: {}", message.topic(), bad.getMessage());
      message.ack();
      return;
    }
    if (clockMs.getAsLong() - announcedAtMs.applyAsLong(announcement) > MAX_AGE_MS) {
      message.ack();
      return;
    }
    Future<?> done;
    try {
      done = work.apply(announcement);
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    done.onComplete(ar -> message.ack());
  }
}
