package io.codesous.runtime;

import io.codesous.runtime.GuestApi.Bound.ErrorDescription;
import java.util.function.BooleanSupplier;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what one activation threw into its {@link Outcome}: {@code null} when a termination ended the activation
 * first (the termination is then the result), otherwise an error for the client, with the real reason logged for
 * operators when the runtime itself failed.
 */
final class FailureOutcomes {

  /** Under the activation's name, where operators look for the reasons of its internal errors. */
  private static final Logger LOG = LoggerFactory.getLogger(Activation.class);

  private static final String INTERNAL_ERROR = "internal error in the function runtime";

  private final String activationId;
  private final BooleanSupplier ended;

  /**
   * @param activationId the activation named in the operators' log
   * @param ended        whether the activation has ended, by a termination or by finishing
   */
  FailureOutcomes(String activationId, BooleanSupplier ended) {
    this.activationId = activationId;
    this.ended = ended;
  }

  /** Classifies a polyglot exception that is not the result of a termination. */
  Outcome failure(PolyglotException e, GuestApi.Bound api) {
    if (ended.getAsBoolean()) {
      return null;
    }
    if (e.isCancelled()) {
      // Not cancelled by a guard, so by the engine closing under it.
      return Outcome.error("the execution was cancelled because the runtime is shutting down");
    }
    if (e.isHostException() || e.isInternalError() || api == null) {
      LOG.warn("activation " + activationId + " failed inside the runtime", e);
      return Outcome.error(INTERNAL_ERROR);
    }
    if (e.isResourceExhausted()) {
      // The JVM ran out of heap while the function allocated: the one resource a guest can exhaust this way.
      return Outcome.of(new Termination(ExecutionStatus.MEMORY_LIMIT, ErrorCodes.CS_MEMORY_LIMIT,
          "the function exhausted the memory available to the runtime"));
    }
    if (e.isExit()) {
      return Outcome.error("the function exited");
    }
    Value thrown = e.getGuestObject();
    if (thrown != null) {
      try {
        ErrorDescription error = api.describeError(thrown);
        return Outcome.error(error.message(), error.stack());
      } catch (PolyglotException describing) {
        if (ended.getAsBoolean()) {
          return null;
        }
        // The thrown value defeats description (a hostile proxy, say): fall back to the engine's message.
      }
    }
    return Outcome.error(e.getMessage());
  }

  Outcome unexpected(RuntimeException e) {
    if (ended.getAsBoolean()) {
      // Using a context that a termination closed meanwhile fails in many ways; the termination is the result.
      return null;
    }
    LOG.warn("activation " + activationId + " failed inside the runtime", e);
    return Outcome.error(INTERNAL_ERROR);
  }
}
