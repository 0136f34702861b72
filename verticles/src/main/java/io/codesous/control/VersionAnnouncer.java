package io.codesous.control;

import io.codesous.codeq.CodeQ;
import io.codesous.spec.message.Topics;
import io.codesous.spec.message.VersionPublished;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Tells every invoker that a version was published ({@link Topics#VERSIONS}) so it prepares the version before its
 * first activation. The announcement is an optimisation: the version is already stored when it is sent, and an
 * invoker that never hears of it prepares it at its first activation, so a queue failure is logged, not returned.
 */
public final class VersionAnnouncer {

  private static final Logger LOG = LoggerFactory.getLogger(VersionAnnouncer.class);

  /** For a control process whose invokers need no announcement. */
  public static final VersionAnnouncer NONE = new VersionAnnouncer(null);

  private final CodeQ codeq;

  public VersionAnnouncer(CodeQ codeq) {
    this.codeq = codeq;
  }

  void announce(VersionPublished published, String requestId) {
    if (codeq == null) {
      return;
    }
    Objects.requireNonNull(published, "published");
    codeq.publish(Topics.VERSIONS, published.key(), published.encode())
        .onFailure(failure -> LOG.warn("request {}: version {}/{} not announced to the invokers: {}", requestId,
            published.key(), published.version(), failure.toString()));
  }
}
