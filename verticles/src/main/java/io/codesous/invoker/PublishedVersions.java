package io.codesous.invoker;

import io.codesous.codeq.CodeQ;
import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.CodeQSubscription;
import io.codesous.spec.message.MalformedMessageException;
import io.codesous.spec.message.Topics;
import io.codesous.spec.message.VersionPublished;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Consumes {@link Topics#VERSIONS} in a consumer group of this invoker's own, so every invoker hears of every
 * publish, and loads each version through the {@link BundleCache}, which prepares it. Every message is acknowledged
 * whatever came of it: a version not prepared now is prepared at its first activation. A new group starts at the
 * oldest announcement the topic retains, so announcements older than {@link #MAX_AGE_MS} are skipped: a restarted
 * invoker prepares what is invoked, not the whole history.
 */
final class PublishedVersions {

  private static final Logger LOG = LoggerFactory.getLogger(PublishedVersions.class);
  static final long MAX_AGE_MS = 5 * 60_000L;
  /** Preparations run one context build at a time on the runtime's background thread: a few in flight suffice. */
  private static final int MAX_IN_FLIGHT = 4;

  private final CodeQ codeq;
  private final BundleCache cache;
  private final String group;
  private final LongSupplier clockMs;
  private CodeQSubscription subscription;

  PublishedVersions(CodeQ codeq, BundleCache cache, String invokerId, LongSupplier clockMs) {
    this.codeq = Objects.requireNonNull(codeq, "codeq");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.group = group(Objects.requireNonNull(invokerId, "invokerId"));
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
  }

  /** The consumer group of one invoker: one per invoker, never shared. */
  static String group(String invokerId) {
    return "invoker-" + invokerId;
  }

  Future<Void> start() {
    return codeq.subscribe(new io.codesous.codeq.SubscribeOptions().setTopic(Topics.VERSIONS).setGroup(group)
            .setMaxInFlight(MAX_IN_FLIGHT), this::onMessage)
        .onSuccess(s -> subscription = s)
        .mapEmpty();
  }

  Future<Void> stop() {
    return subscription == null ? Future.succeededFuture() : subscription.close();
  }

  private void onMessage(CodeQMessage message) {
    VersionPublished published;
    try {
      published = VersionPublished.decode(message.payload());
    } catch (MalformedMessageException bad) {
      LOG.warn("ignoring a {} message: {}", message.topic(), bad.getMessage());
      message.ack();
      return;
    }
    if (clockMs.getAsLong() - published.publishedAtMs() > MAX_AGE_MS) {
      message.ack();
      return;
    }
    cache.published(published.tenant(), published.namespace(), published.function(), published.version())
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("version {}/{} not prepared: {}", published.key(), published.version(), ar.cause().toString());
          }
          message.ack();
        });
  }
}
