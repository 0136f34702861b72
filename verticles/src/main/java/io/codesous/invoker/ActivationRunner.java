package io.codesous.invoker;

import io.codesous.observe.ActivationMeters;
import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.model.ActivationOutcome;
import io.codesous.spec.model.ActivationRecord;
import io.codesous.spec.model.ActivationStatus;
import io.codesous.store.ActivationStore;
import io.codesous.store.VersionMeta;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Runs each delivered request's activation once: fetch the version (cached), wait for a per-version slot, claim
 * the activation record, execute it, write the terminal record and publish the result. A request whose
 * activation already ended is answered from its record without running the code again. Used on the invoker's
 * event loop only.
 */
final class ActivationRunner {

  /** How often, at most, a copy of a message whose activation another invoker runs checks its record. */
  private static final long MIN_OWNER_POLL_MS = 20;

  private final Vertx vertx;
  private final ActivationStore activations;
  private final BundleCache cache;
  private final SandboxExecution execution;
  private final ResultPublisher results;
  private final InvokerOptions options;
  private final String invokerId;
  private final LongSupplier clockMs;
  private final ActivationMeters meters;
  private final PendingCancels pending;
  private final ConcurrencyLimiter limiter = new ConcurrencyLimiter();
  /** Activations this invoker runs right now (claimed, not yet recorded); touched on its context only. */
  private final Set<String> runningHere = new HashSet<>();

  ActivationRunner(Vertx vertx, ActivationStore activations, BundleCache cache, SandboxExecution execution,
                   ResultPublisher results, InvokerOptions options, String invokerId, LongSupplier clockMs,
                   ActivationMeters meters, PendingCancels pending) {
    this.pending = Objects.requireNonNull(pending, "pending");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.activations = Objects.requireNonNull(activations, "activations");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.execution = Objects.requireNonNull(execution, "execution");
    this.results = Objects.requireNonNull(results, "results");
    this.options = Objects.requireNonNull(options, "options");
    this.invokerId = Objects.requireNonNull(invokerId, "invokerId");
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /** Per-version slots' waiters right now: activations held back by a version's {@code maxConcurrency}. */
  int concurrencyWaiters() {
    return limiter.waiters();
  }

  /**
   * Completes once the result is recorded and published; fails when it must be retried. The
   * version is loaded and a per-version slot held before the activation is claimed, so a claim's
   * lease starts when the run can start, and a copy that waits for a slot claims nothing.
   */
  Future<Void> handle(InvocationRequest request) {
    String t = request.tenant();
    String ns = request.namespace();
    String fn = request.function();
    Future<Loaded> load = cache.meta(t, ns, fn, request.version())
        .compose(meta -> cache.bundle(t, ns, fn, meta).map(bundle -> new Loaded(meta, bundle)));
    Future<Void> handled = load.transform(loaded -> {
      if (loaded.failed()) {
        Throwable cause = loaded.cause();
        if (cause instanceof CsException cs && cs.code() == ErrorCode.CS_UNAVAILABLE) {
          return Future.failedFuture(cause);
        }
        return claimAndRun(request, request.timeoutMs(), running -> execution.unloadable(request, running, cause));
      }
      VersionMeta meta = loaded.result().meta;
      String slot = t + '/' + ns + '/' + fn + '/' + meta.version();
      return limiter.acquire(slot, meta.manifest().limits().maxConcurrency()).compose(held -> {
        SlotHold hold = new SlotHold(slot);
        // module evaluation has its own budget before the handler's: the lease covers both
        return claimAndRun(request,
            (long) meta.manifest().limits().initTimeoutMs() + meta.manifest().limits().timeoutMs(),
                running -> execution.execute(request, running, meta, loaded.result().bundle, hold::release))
            .andThen(done -> hold.release());
      });
    });
    return handled.recover(failure -> failure instanceof OwnerAlive alive
        ? vertx.timer(alive.waitMs).compose(v -> handle(request))
        : Future.failedFuture(failure));
  }

  /**
   * Claims the activation and, when this delivery owns it, runs {@code work} and records its
   * outcome. A finished activation is answered from its record; one whose owner's lease still holds
   * fails with {@link OwnerAlive}; one taken over by a newer attempt meanwhile is answered by that
   * attempt's invoker, so this one publishes nothing.
   */
  private Future<Void> claimAndRun(InvocationRequest request, long timeoutMs,
                                   Function<ActivationRecord, Future<ActivationOutcome>> work) {
    String id = request.activationId();
    long leaseMs = timeoutMs + options.getLeaseMarginMs();
    return activations.claim(request, invokerId, leaseMs, !runningHere.contains(id)).compose(claim -> {
      if (claim instanceof ActivationStore.Claim.Done done) {
        // already ran: answer from the record, never run the code twice
        return results.publish(done.record().toResult(request));
      }
      if (claim instanceof ActivationStore.Claim.Busy busy) {
        long untilLease = busy.leaseUntilMs() - clockMs.getAsLong();
        return Future.failedFuture(new OwnerAlive(
            Math.max(MIN_OWNER_POLL_MS, Math.min(untilLease, options.getRetryDelayMs()))));
      }
      ActivationRecord running = ((ActivationStore.Claim.Owned) claim).record();
      runningHere.add(id);
      pending.hold(request);
      Future<ActivationOutcome> ended = stale(request)
          ? Future.succeededFuture(expired(request, running)) : work.apply(running);
      return ended
          .andThen(ran -> {
            runningHere.remove(id);
            pending.release(request);
          })
          .compose(outcome -> activations.complete(running, outcome))
          .andThen(done -> {
            if (done.succeeded() && done.result().status().terminal()) {
              meters.ended(request.tenant(), request.namespace(), request.function(), request.trigger().type(),
                  done.result().status().wire());
            }
          })
          .compose(record -> record.status().terminal()
              ? results.publish(record.toResult(request)) : Future.<Void>succeededFuture());
    });
  }

  /** Whether the request waited in the queue past the maximum age: see {@link InvokerOptions#getMaxRequestAgeMs}. */
  private boolean stale(InvocationRequest request) {
    long maxAge = options.getMaxRequestAgeMs();
    return maxAge > 0 && clockMs.getAsLong() - request.publishedAtMs() > maxAge;
  }

  private ActivationOutcome expired(InvocationRequest request, ActivationRecord running) {
    long ageMs = clockMs.getAsLong() - request.publishedAtMs();
    return ActivationOutcome.failed(ActivationStatus.EXPIRED, running.startMs(), clockMs.getAsLong(),
        ErrorCode.CS_EXPIRED.name(), "the request waited " + ageMs + " ms in the queue, past the maximum age of "
            + options.getMaxRequestAgeMs() + " ms; it was not run");
  }

  private record Loaded(VersionMeta meta, BundleFiles bundle) {
  }

  /** Another invoker's attempt holds the activation; look again after {@code waitMs}. */
  private static final class OwnerAlive extends RuntimeException {
    final long waitMs;

    OwnerAlive(long waitMs) {
      super("another attempt holds the activation", null, false, false);
      this.waitMs = waitMs;
    }
  }

  /** A held per-version slot, given back exactly once: when the sandbox is done, or when the activation ends early. */
  private final class SlotHold {
    private final String slot;
    private boolean released;

    SlotHold(String slot) {
      this.slot = slot;
    }

    void release() {
      if (!released) {
        released = true;
        limiter.release(slot);
      }
    }
  }
}
