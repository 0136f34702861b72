package io.codesous.invoker;

import io.codesous.codeq.CodeQ;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.spec.message.Topics;
import io.codesous.spec.message.VersionPublished;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Consumes {@link Topics#VERSIONS} in a consumer group of this invoker's own ({@link Announcements}), so every
 * invoker hears of every publish, and loads each version through the {@link BundleCache}, which prepares it. A
 * version not prepared now is prepared at its first activation.
 */
final class PublishedVersions {

  private static final Logger LOG = LoggerFactory.getLogger(PublishedVersions.class);
  /** Preparations run one context build at a time on the runtime's background thread: a few in flight suffice. */
  private static final int MAX_IN_FLIGHT = 4;

  private final Announcements<VersionPublished> announcements;

  PublishedVersions(CodeQ codeq, BundleCache cache, String invokerId, LongSupplier clockMs) {
    Objects.requireNonNull(cache, "cache");
    this.announcements = new Announcements<>(codeq, new SubscribeOptions().setTopic(Topics.VERSIONS)
        .setGroup(group(Objects.requireNonNull(invokerId, "invokerId"))).setMaxInFlight(MAX_IN_FLIGHT),
        VersionPublished::decode, VersionPublished::publishedAtMs, published -> prepare(cache, published), clockMs);
  }

  /** The consumer group of one invoker: one per invoker, never shared. */
  static String group(String invokerId) {
    return "invoker-" + invokerId;
  }

  Future<Void> start() {
    return announcements.start();
  }

  Future<Void> stop() {
    return announcements.stop();
  }

  private static Future<?> prepare(BundleCache cache, VersionPublished published) {
    return cache.published(published.tenant(), published.namespace(), published.function(), published.version())
        .onFailure(failure -> LOG.warn("version {}/{} not prepared: {}", published.key(), published.version(),
            failure.toString()));
  }
}
