package io.codesous.invoker;

import io.codesous.codeq.CodeQ;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.spec.message.DraftStored;
import io.codesous.spec.message.Topics;
import io.codesous.store.FunctionStore;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Consumes {@link Topics#DRAFTS} in a consumer group of this invoker's own ({@link Announcements}), so every invoker
 * hears of every draft stored where the control API runs apart from it, and has its sandbox parse the draft's entry
 * module ({@link DraftParsing}) on the sandbox pool: the draft is read from the store, decoded and verified against
 * its hash there too. A draft gone from the store (expired, or never stored) is passed over; one not parsed now is
 * parsed when its version is prepared.
 */
final class StoredDrafts {

  private static final Logger LOG = LoggerFactory.getLogger(StoredDrafts.class);
  /** A parse holds a sandbox worker for its time (a fifth of a second for a 1 MB bundle): one at a time. */
  private static final int MAX_IN_FLIGHT = 1;

  private final FunctionStore functions;
  private final SandboxPool pool;
  private final DraftParsing parsing;
  private final Announcements<DraftStored> announcements;

  StoredDrafts(CodeQ codeq, FunctionStore functions, SandboxPool pool, DraftParsing parsing, String invokerId,
               LongSupplier clockMs) {
    this.functions = Objects.requireNonNull(functions, "functions");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.parsing = Objects.requireNonNull(parsing, "parsing");
    this.announcements = new Announcements<>(codeq, new SubscribeOptions().setTopic(Topics.DRAFTS)
        .setGroup(group(Objects.requireNonNull(invokerId, "invokerId"))).setMaxInFlight(MAX_IN_FLIGHT),
        DraftStored::decode, DraftStored::storedAtMs, this::parse, clockMs);
  }

  /** The consumer group of one invoker: one per invoker, never shared. */
  static String group(String invokerId) {
    return "invoker-drafts-" + invokerId;
  }

  Future<Void> start() {
    return announcements.start();
  }

  Future<Void> stop() {
    return announcements.stop();
  }

  private Future<?> parse(DraftStored stored) {
    return functions.storedDraft(stored.tenant(), stored.namespace(), stored.function(), stored.draftId())
        .compose(raw -> raw == null ? Future.<Void>succeededFuture() : pool.run(() -> {
          FunctionStore.StoredDraft draft = FunctionStore.decodeDraft(raw);
          parsing.parse(draft.bundle(), draft.manifest());
          return null;
        }))
        .onFailure(failure -> LOG.warn("draft {} of {} not parsed ahead: {}", stored.draftId(), stored.key(),
            failure.toString()));
  }
}
