package io.codesous.control;

import io.codesous.codeq.CodeQ;
import io.codesous.spec.message.DraftStored;
import io.codesous.spec.message.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Tells every invoker that a draft was stored ({@link Topics#DRAFTS}) so each parses its entry module before the
 * draft is published: where the control API runs apart from the invokers, no sandbox is at hand when the draft
 * arrives, and without the announcement each invoker parsed the module only when the version was published, on the
 * way to its first invoke. Like {@link VersionAnnouncer}, an optimisation: a failed announcement is logged, and the
 * version is parsed when it is prepared.
 */
public final class DraftAnnouncer implements ParseAhead {

  private static final Logger LOG = LoggerFactory.getLogger(DraftAnnouncer.class);

  private final CodeQ codeq;
  private final LongSupplier clockMs;

  public DraftAnnouncer(CodeQ codeq, LongSupplier clockMs) {
    this.codeq = Objects.requireNonNull(codeq, "codeq");
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
  }

  @Override
  public void parse(Draft draft) {
    DraftStored stored = new DraftStored(draft.tenant(), draft.namespace(), draft.function(), draft.draftId(),
        draft.bundle().sha256(), clockMs.getAsLong());
    try {
      codeq.publish(Topics.DRAFTS, stored.key(), stored.encode())
          .onFailure(failure -> LOG.warn("draft {} of {} not announced to the invokers: {}", draft.draftId(),
              stored.key(), failure.toString()));
    } catch (RuntimeException refused) {
      LOG.warn("draft {} of {} not announced to the invokers: {}", draft.draftId(), stored.key(), refused.toString());
    }
  }
}
