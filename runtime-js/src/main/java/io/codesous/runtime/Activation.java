package io.codesous.runtime;

import io.codesous.runtime.ExecutionGuard.GuardedExecution;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * One execution of a function on the calling thread: a context from {@link Contexts} (fresh, prewarmed, or a warm
 * one of the same version), the entry module, the handler call, waiting for its promise while running the tasks
 * posted to it (host call completions), validating the response, and always giving the context back, which closes
 * it unless a warm version may reuse it.
 *
 * <p>The activation ends exactly once, as its {@link ActivationEnd} decides.
 */
final class Activation implements GuardedExecution, GuestBridge.Host {

  /** What all activations of one runtime share. */
  record Shared(SourceCache sourceCache, Contexts contexts, List<ExecutionGuard> guards, Executor canceller,
                long cancelGraceMs) {
  }

  private final ExecutionRequest request;
  private final Shared shared;
  private final Thread thread = Thread.currentThread();
  private final ActivationBudget budget;
  private List<ExecutionGuard.Watch> watches = List.of();
  private final LogCollector logs;
  /** Runs what other threads post, and the function's timers, while the activation waits for the guest. */
  private final TaskLoop taskLoop;
  private final FailureOutcomes failures;
  private final ActivationEnd ending;
  private volatile boolean done;
  /** The context this activation owns; touched on the executing thread only. */
  private GuestContext guest;
  /** How {@link #guest} started; set when it is acquired. */
  private ContextStart start;
  private final AllocationMeter allocation = new AllocationMeter(thread);
  /** Created on the first capability call. */
  private HostCalls hostCalls;
  /** The first unhandled rejection, which ends the activation; set on the executing thread. */
  private Outcome unhandled;

  Activation(ExecutionRequest request, Shared shared) {
    this.request = request;
    this.shared = shared;
    this.budget = new ActivationBudget(request.initTimeoutMs(), request.timeoutMs());
    this.logs = new LogCollector(request.limits(), request.logListener());
    this.ending = new ActivationEnd(thread, shared.canceller());
    this.taskLoop = new TaskLoop(this, ending::hasEnded, () -> guest.api().runTimer());
    this.failures = new FailureOutcomes(request.info().activationId(), ending::hasEnded);
  }

  /** Runs the activation on the calling thread; never throws for anything the guest does. */
  ExecutionResult run() {
    Outcome outcome = null;
    try {
      outcome = decideOutcome();
      return new ExecutionResult(outcome.status(), outcome.responseJson(), outcome.errorCode(),
          outcome.errorMessage(), outcome.errorStack(), logs.entries(), logs.truncated(), budget.startMs(),
          budget.elapsedMs(), budget.initMs(), start);
    } finally {
      releaseContext(outcome);
      done = true;
    }
  }

  private Outcome decideOutcome() {
    watches = new ArrayList<>(shared.guards().size());
    Outcome outcome;
    try {
      for (ExecutionGuard guard : shared.guards()) {
        watches.add(guard.watch(this));
      }
      outcome = runGuest();
    } catch (RuntimeException e) {
      outcome = failures.unexpected(e);
    } finally {
      // Whoever ends the activation first decides its result: past this point a guard cannot terminate it, and
      // if one already has, its termination replaces whatever the guest produced meanwhile.
      if (!ending.finish()) {
        outcome = null;
      }
      watches.forEach(ExecutionGuard.Watch::close);
    }
    return outcome != null ? outcome : Outcome.of(ending.termination());
  }

  /**
   * Queues work to run on the executing thread while the activation waits for its handler's promise; the way for
   * host APIs to complete guest promises from other threads. Work queued after the activation ended never runs.
   */
  void post(Runnable task) {
    taskLoop.post(task);
  }

  /** @return the outcome, or {@code null} when a termination cut the activation short */
  private Outcome runGuest() {
    EntryModule module;
    try {
      module = EntryModule.of(request, shared.sourceCache());
    } catch (IllegalArgumentException e) {
      return Outcome.error(e.getMessage());
    }
    String entryName = module.name();
    Source entry = module.source();

    guest = shared.contexts().acquire(request, ContextShape.of(request, module), entry);
    start = ContextStart.of(guest);
    if (guest.isPrepared()) {
      logs.addEarlier(guest.takePreparedLogs()); // the module was evaluated ahead: its log first, as if evaluated here
      // init_ms: 0 for a module found evaluated, the wait for one still being evaluated when the activation came
      budget.awaitedEvaluation(guest.awaitedPreparationNanos());
    }
    // Published before the state is read again: a guard that terminates in between either sees this context and
    // cancels it, or is seen here, and no guest code runs.
    ending.publish(guest.context());
    if (ending.hasEnded()) {
      return null;
    }
    guest.bridge().bind(this);
    GuestApi.Bound api = guest.api();
    long evaluationStart = System.nanoTime();
    if (guest.handler() == null) {
      module.parseIn(guest.context(), ending::hasEnded);
    }
    // From here on the function's code may run: its allocation counts against its budget, the context's
    // preparation (parsing the module included) does not.
    allocation.start();
    try {
      api.beginActivation(request.info().triggerType());
      Value event;
      try {
        event = api.parseEvent(request.eventJson());
      } catch (PolyglotException e) {
        if (!ending.hasEnded() && e.isGuestException() && !e.isCancelled()) {
          return Outcome.error("the event is not valid JSON: " + e.getMessage());
        }
        throw e;
      }
      Value handler = guest.handler();
      if (handler == null) {
        Value namespace = guest.context().eval(entry);
        // The handler runs only once the module has finished evaluating, top-level `await` included.
        boolean evaluated = taskLoop.runTasksUntil(
            () -> unhandled != null || EntryModule.isEvaluated(namespace, ending::hasEnded));
        budget.evaluated(evaluationStart);
        if (!evaluated) {
          return null;
        }
        if (unhandled != null) {
          return unhandled;
        }
        handler = api.findHandler(namespace);
        if (handler == null) {
          return Outcome.error("entry module " + entryName + " does not export a handler function");
        }
        guest.handler(handler);
      }
      long handlerStartMs = beginHandler();
      Value ctx = api.makeContext(request.info(), handlerStartMs + request.timeoutMs(), request.secrets(),
          request.env());
      Settlement settlement = new Settlement();
      api.run(handler, event, ctx, settlement::fulfill, settlement::reject);
      if (!taskLoop.runTasksUntil(() -> settlement.settled() || unhandled != null)) {
        return null;
      }
      if (unhandled != null) {
        return unhandled;
      }
      return settlement.outcome(api, request.limits(), isActivity());
    } catch (PolyglotException e) {
      return failures.failure(e, api);
    }
  }

  /** Starts the handler's budget (see {@link ActivationBudget#beginHandler()}) and tells the guards it moved. */
  private long beginHandler() {
    long handlerStartMs = budget.beginHandler();
    watches.forEach(ExecutionGuard.Watch::deadlineMoved);
    return handlerStartMs;
  }

  /**
   * Gives the context back: a warm version keeps it only after a success, because after a timeout, a memory limit
   * or an error the guest may have been stopped halfway through changing its own state. Every other context is
   * closed.
   */
  private void releaseContext(Outcome outcome) {
    GuestContext owned = guest;
    if (owned == null) {
      return;
    }
    if (hostCalls != null) {
      hostCalls.cancelPending();
    }
    if (!ending.finished()) {
      // Let the termination's cancelling close finish first; a second close racing with it may throw.
      ending.awaitTerminationSettled(shared.cancelGraceMs());
    }
    boolean reusable = request.warm() && ending.finished() && outcome != null
        && outcome.status() == ExecutionStatus.SUCCESS;
    if (reusable) {
      try {
        owned.api().endActivation();
      } catch (PolyglotException | IllegalStateException e) {
        reusable = false;
      }
    }
    owned.bridge().unbind();
    owned.recordUse(allocatedBytes());
    shared.contexts().release(request, owned, reusable);
  }

  /** A Cadence activity: its result has no HTTP shape, and its host calls may heartbeat. */
  private boolean isActivity() {
    return "cadence".equals(request.info().triggerType());
  }

  @Override
  public boolean terminate(Termination termination) {
    return ending.terminate(termination, taskLoop::wakeUp);
  }

  @Override
  public boolean emit(String level, String message) {
    return logs.add(level, message, System.currentTimeMillis());
  }

  @Override
  public long remainingMs() {
    return budget.remainingMs();
  }

  @Override
  public String hostCall(Value[] arguments) {
    if (hostCalls == null) {
      hostCalls = new HostCalls(request.bindings(), this::post, isActivity(), this::remainingMs);
    }
    return hostCalls.start(arguments);
  }

  @Override
  public void unhandledRejection(String message, String stack) {
    if (unhandled == null) {
      unhandled = Outcome.error("unhandled promise rejection: " + message, stack);
    }
  }

  @Override
  public void armTimer(double dueMs) {
    taskLoop.armTimer(dueMs);
  }

  @Override
  public Thread thread() {
    return thread;
  }

  @Override
  public InvocationInfo info() {
    return request.info();
  }

  @Override
  public ExecutionLimits limits() {
    return request.limits();
  }

  @Override
  public long allocatedBytes() {
    return allocation.allocatedBytes();
  }

  @Override
  public long timeoutMs() {
    return request.timeoutMs();
  }

  @Override
  public long startNanos() {
    return budget.startNanos();
  }

  @Override
  public long deadlineNanos() {
    return budget.deadlineNanos();
  }

  @Override
  public Termination deadlineTermination() {
    return budget.deadlineTermination();
  }

  @Override
  public boolean isDone() {
    return done;
  }
}
