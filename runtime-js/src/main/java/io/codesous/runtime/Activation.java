package io.codesous.runtime;

import io.codesous.runtime.ExecutionGuard.GuardedExecution;
import io.codesous.runtime.GuestApi.Bound.ErrorDescription;
import io.codesous.runtime.ResponseValidator.InvalidResponseException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * One execution of a function on the calling thread: a context from {@link Contexts} (fresh, prewarmed, or a warm
 * one of the same version), the entry module, the handler call, waiting for its promise while running the tasks
 * posted to it (host call completions), validating the response, and always giving the context back, which closes
 * it unless a warm version may reuse it.
 *
 * <p>The activation ends exactly once, decided by a compare-and-set on {@link #ending}: either the worker finishes
 * and keeps what the guest produced, or a guard terminates it first and its {@link Termination} becomes the result,
 * whatever the guest was doing.
 */
final class Activation implements GuardedExecution, GuestBridge.Host {

  private static final System.Logger LOG = System.getLogger(Activation.class.getName());

  private static final String INTERNAL_ERROR = "internal error in the function runtime";
  /** Marks a normal end in {@link #ending}; compared by identity. */
  private static final Termination FINISHED =
      new Termination(ExecutionStatus.SUCCESS, "", "finished");
  private static final Runnable WAKE_UP = () -> {
  };
  private static final long NO_TIMER = Long.MIN_VALUE;
  /**
   * An export appended to the entry module, so that its binding is initialized by the module's last statement: a
   * namespace whose marker still throws (temporal dead zone) belongs to a module whose evaluation has not completed,
   * which a module with top-level {@code await} reaches only after all of them. The engine gives no other way to see
   * that: with {@code js.esm-eval-returns-exports} it returns the namespace as soon as the first {@code await}
   * suspends the module.
   */
  static final String EVALUATED_MARKER = "__cs_module_evaluated__";
  private static final String MARKER_STATEMENT = "\n;export const " + EVALUATED_MARKER + " = true;\n";

  /** What all activations of one runtime share. */
  record Shared(SourceCache sourceCache, Contexts contexts, List<ExecutionGuard> guards, Executor canceller,
                long cancelGraceMs) {
  }

  private final ExecutionRequest request;
  private final Shared shared;
  private final Thread thread = Thread.currentThread();
  private final long startMs = System.currentTimeMillis();
  private final long startNanos = System.nanoTime();
  /** The init budget's end until the module has been evaluated, then the handler's; see {@link #beginHandler()}. */
  private volatile long deadlineNanos;
  /** Whether the current budget is module evaluation's. */
  private volatile boolean evaluating = true;
  /** How long this activation spent evaluating the entry module. */
  private long initNanos;
  private List<ExecutionGuard.Watch> watches = List.of();
  private final LogCollector logs;
  /** Work to run on the executing thread, for example a host API completing a promise from another thread. */
  private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
  /** {@code null} while running, then {@link #FINISHED} or the termination. */
  private final AtomicReference<Termination> ending = new AtomicReference<>();
  /** Released once a termination has done all it will do to the context. */
  private final CountDownLatch terminationSettled = new CountDownLatch(1);
  private volatile Context context;
  private volatile boolean done;
  /** The context this activation owns; touched on the executing thread only. */
  private GuestContext guest;
  /** The thread's allocation counter when function code could first run; -1 before. */
  private volatile long allocationBaseline = -1;
  /** Created on the first capability call. */
  private HostCalls hostCalls;
  /**
   * When the earliest timer the function set is due ({@link System#nanoTime()}), or {@link #NO_TIMER}. Timers run
   * only while the activation waits for its handler, so none outlives it or runs in a later one.
   */
  private long timerDueNanos = NO_TIMER;
  /** The first unhandled rejection, which ends the activation; set on the executing thread. */
  private Outcome unhandled;

  Activation(ExecutionRequest request, Shared shared) {
    this.request = request;
    this.shared = shared;
    // Until the context is known to have evaluated the module, the activation is in its init budget; a context
    // that has (warm) starts the handler's budget at once.
    this.deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(request.initTimeoutMs());
    this.logs = new LogCollector(request.limits());
  }

  /** Runs the activation on the calling thread; never throws for anything the guest does. */
  ExecutionResult run() {
    Outcome outcome = null;
    try {
      outcome = decideOutcome();
      long durationMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
      return new ExecutionResult(outcome.status(), outcome.responseJson(), outcome.errorCode(),
          outcome.errorMessage(), outcome.errorStack(), logs.entries(), logs.truncated(), startMs, durationMs,
          TimeUnit.NANOSECONDS.toMillis(initNanos));
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
      outcome = unexpected(e);
    } finally {
      // Whoever ends the activation first decides its result: past this point a guard cannot terminate it, and
      // if one already has, its termination replaces whatever the guest produced meanwhile.
      if (!ending.compareAndSet(null, FINISHED)) {
        outcome = null;
      }
      watches.forEach(ExecutionGuard.Watch::close);
    }
    return outcome != null ? outcome : Outcome.of(ending.get());
  }

  /**
   * Queues work to run on the executing thread while the activation waits for its handler's promise; the way for
   * host APIs to complete guest promises from other threads. Work queued after the activation ended never runs.
   */
  void post(Runnable task) {
    if (ending.get() == null) {
      tasks.add(task);
    }
  }

  /** The entry module of a request: its normalized name and its cached source. */
  record EntryModule(String name, Source source) {

    /**
     * Resolves and caches the entry module's source.
     *
     * @throws IllegalArgumentException with the activation's message when the entry is not a bundle file
     */
    static EntryModule of(ExecutionRequest request, SourceCache cache) {
      BundlePath entryPath = BundleFileSystem.pathOf(request.entry());
      if (entryPath.escapesRoot() || entryPath.getNameCount() == 0) {
        throw new IllegalArgumentException("entry module " + request.entry() + " is not a path inside the bundle");
      }
      String entryName = entryPath.toString().substring(1);
      byte[] entryContent = request.files().get(entryName);
      if (entryContent == null) {
        // The bundle may name the file differently (./index.mjs); the file system normalizes every name.
        entryContent = new BundleFileSystem(request.files()).content(entryPath);
      }
      if (entryContent == null) {
        throw new IllegalArgumentException("entry module " + request.entry() + " is not in the bundle");
      }
      byte[] content = entryContent;
      Source source = cache.get(request.bundleId(), entryName,
          () -> Source.newBuilder("js", new String(content, StandardCharsets.UTF_8) + MARKER_STATEMENT, entryName)
              .mimeType(ContextFactory.moduleMimeType())
              .uri(entryPath.toUri())
              .buildLiteral());
      return new EntryModule(entryName, source);
    }
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

    guest = shared.contexts().acquire(request, ContextShape.of(request, entryName), entry);
    if (guest.isPrepared()) {
      // The module was evaluated for this activation ahead of time: its log comes first, as if evaluated here.
      for (LogEntry entry0 : guest.takePreparedLogs()) {
        logs.add(entry0.level(), entry0.message(), entry0.tsMs());
      }
    }
    // Published before the state is read again: a guard that terminates in between either sees this context and
    // cancels it, or is seen here, and no guest code runs.
    context = guest.context();
    if (ending.get() != null) {
      return null;
    }
    guest.bridge().bind(this);
    GuestApi.Bound api = guest.api();
    long evaluationStart = System.nanoTime();
    if (guest.handler() == null) {
      parse(entry);
    }
    // From here on the function's code may run: its allocation counts against its budget, the context's
    // preparation (parsing the module included) does not.
    allocationBaseline = ThreadAllocation.ofCurrentThread();
    try {
      api.beginActivation(request.info().triggerType());
      Value event;
      try {
        event = api.parseEvent(request.eventJson());
      } catch (PolyglotException e) {
        if (ending.get() == null && e.isGuestException() && !e.isCancelled()) {
          return Outcome.error("the event is not valid JSON: " + e.getMessage());
        }
        throw e;
      }
      Value handler = guest.handler();
      if (handler == null) {
        Value namespace = guest.context().eval(entry);
        // The handler runs only once the module has finished evaluating, top-level `await` included.
        boolean evaluated = runTasksUntil(() -> unhandled != null || isEvaluated(namespace));
        initNanos = System.nanoTime() - evaluationStart;
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
      if (!runTasksUntil(() -> settlement.settled || unhandled != null)) {
        return null;
      }
      if (unhandled != null) {
        return unhandled;
      }
      if (settlement.rejected) {
        ErrorDescription error = api.describeError(settlement.value);
        return Outcome.error(error.message(), error.stack());
      }
      String responseJson = new ResponseValidator(request.limits())
          .validate(settlement.value).toJson();
      return Outcome.success(responseJson);
    } catch (InvalidResponseException e) {
      return Outcome.error(e.getMessage());
    } catch (PolyglotException e) {
      return failure(e, api);
    }
  }

  /**
   * Parses the entry module before function code runs, so that what the engine allocates for its code (several
   * times the source: a 5 MB bundle took more than a 128 MB budget) is the runtime's, like the context itself, and
   * not the function's; the size of a bundle bounds it. Usually a cache hit: the shared engine keeps the code of
   * every cached source. A syntax error is left to the evaluation to report.
   */
  private void parse(Source entry) {
    try {
      guest.context().parse(entry);
    } catch (PolyglotException e) {
      if (e.isCancelled() || ending.get() != null) {
        throw e;
      }
    }
  }

  /**
   * Ends module evaluation's budget and starts the handler's, now.
   *
   * @return the wall-clock start of the handler's budget
   */
  private long beginHandler() {
    long nowNanos = System.nanoTime();
    deadlineNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(request.timeoutMs());
    evaluating = false;
    watches.forEach(ExecutionGuard.Watch::deadlineMoved);
    // From the activation's start and the reported init time, so that ctx.deadlineMs = start_ms + init_ms + timeoutMs.
    return startMs + TimeUnit.NANOSECONDS.toMillis(initNanos);
  }

  /** Whether the module of {@code namespace} has completed its evaluation; see {@link #EVALUATED_MARKER}. */
  private boolean isEvaluated(Value namespace) {
    try {
      namespace.getMember(EVALUATED_MARKER);
      return true;
    } catch (PolyglotException e) {
      if (e.isGuestException() && !e.isCancelled() && ending.get() == null) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Runs queued tasks until {@code done} holds: the module evaluated, or the handler's promise settled, or a promise
   * rejection went unhandled. The wait ends at the current deadline even when no guard fires, so a promise that
   * never settles cannot keep the thread. A task may throw what the guest threw, e.g. a module whose evaluation
   * fails after a top-level {@code await}.
   *
   * @return whether {@code done} came to hold; {@code false} when the activation was terminated
   */
  private boolean runTasksUntil(BooleanSupplier done) {
    while (!done.getAsBoolean()) {
      if (ending.get() != null) {
        return false;
      }
      long remainingNanos = deadlineNanos - System.nanoTime();
      if (remainingNanos <= 0) {
        terminate(deadlineTermination());
        return false;
      }
      Runnable task;
      try {
        long timerNanos = timerDueNanos == NO_TIMER ? remainingNanos : timerDueNanos - System.nanoTime();
        task = tasks.poll(Math.max(0, Math.min(remainingNanos, timerNanos)), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        terminate(Termination.interrupted());
        return false;
      }
      if (task != null) {
        task.run();
      }
      if (timerDueNanos != NO_TIMER && timerDueNanos - System.nanoTime() <= 0 && ending.get() == null) {
        timerDueNanos = NO_TIMER;
        guest.api().runTimer();
      }
    }
    return true;
  }

  /** Classifies a polyglot exception that is not the result of a termination. */
  private Outcome failure(PolyglotException e, GuestApi.Bound api) {
    if (ending.get() != null) {
      return null;
    }
    if (e.isCancelled()) {
      // Not cancelled by a guard, so by the engine closing under it.
      return Outcome.error("the execution was cancelled because the runtime is shutting down");
    }
    if (e.isHostException() || e.isInternalError() || api == null) {
      LOG.log(Level.WARNING, "activation " + request.info().activationId() + " failed inside the runtime", e);
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
        if (ending.get() != null) {
          return null;
        }
        // The thrown value defeats description (a hostile proxy, say): fall back to the engine's message.
      }
    }
    return Outcome.error(e.getMessage());
  }

  private Outcome unexpected(RuntimeException e) {
    if (ending.get() != null) {
      // Using a context that a termination closed meanwhile fails in many ways; the termination is the result.
      return null;
    }
    LOG.log(Level.WARNING, "activation " + request.info().activationId() + " failed inside the runtime", e);
    return Outcome.error(INTERNAL_ERROR);
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
    if (ending.get() != FINISHED) {
      // Let the termination's cancelling close finish first; a second close racing with it may throw.
      try {
        terminationSettled.await(shared.cancelGraceMs(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    boolean reusable = request.warm() && ending.get() == FINISHED && outcome != null
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

  @Override
  public boolean terminate(Termination termination) {
    if (!ending.compareAndSet(null, termination)) {
      return false;
    }
    tasks.offer(WAKE_UP);
    Context running = context;
    if (running == null || Thread.currentThread() == thread) {
      // No guest code runs: the executing thread sees the termination and closes the context itself.
      terminationSettled.countDown();
      return true;
    }
    try {
      shared.canceller().execute(() -> {
        try {
          running.close(true);
        } catch (PolyglotException | IllegalStateException e) {
          // Closing a context whose execution is cancelled reports the cancellation; it is closed all the same.
        } finally {
          terminationSettled.countDown();
        }
      });
    } catch (RejectedExecutionException e) {
      // The runtime is closing; closing its engine cancels this context.
      terminationSettled.countDown();
    }
    return true;
  }

  @Override
  public boolean emit(String level, String message) {
    return logs.add(level, message, System.currentTimeMillis());
  }

  @Override
  public long remainingMs() {
    return Math.max(0L, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  @Override
  public String hostCall(Value[] arguments) {
    if (hostCalls == null) {
      hostCalls = new HostCalls(request.bindings(), this::post, "cadence".equals(request.info().triggerType()),
          this::remainingMs);
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
    timerDueNanos = dueMs < 0 ? NO_TIMER : GuestBridge.nanoTimeOf(dueMs);
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
    long baseline = allocationBaseline;
    if (baseline < 0) {
      return 0;
    }
    long now = Thread.currentThread() == thread ? ThreadAllocation.ofCurrentThread() : ThreadAllocation.of(thread);
    return Math.max(0, now - baseline);
  }

  @Override
  public long timeoutMs() {
    return request.timeoutMs();
  }

  @Override
  public long startNanos() {
    return startNanos;
  }

  @Override
  public long deadlineNanos() {
    return deadlineNanos;
  }

  @Override
  public Termination deadlineTermination() {
    return evaluating ? Termination.initTimeout(request.initTimeoutMs()) : Termination.timeout(request.timeoutMs());
  }

  @Override
  public boolean isDone() {
    return done;
  }

  /** How the handler's promise settled; written and read on the executing thread only. */
  private static final class Settlement {
    private boolean settled;
    private boolean rejected;
    private Value value;

    Object fulfill(Value... arguments) {
      settle(false, arguments);
      return null;
    }

    Object reject(Value... arguments) {
      settle(true, arguments);
      return null;
    }

    private void settle(boolean isRejection, Value[] arguments) {
      if (!settled) {
        settled = true;
        rejected = isRejection;
        value = arguments[0];
      }
    }
  }

  /** What an activation produced, before timings and logs are added. */
  private record Outcome(ExecutionStatus status, String responseJson, String errorCode, String errorMessage,
                         String errorStack) {

    static Outcome success(String responseJson) {
      return new Outcome(ExecutionStatus.SUCCESS, responseJson, null, null, null);
    }

    static Outcome error(String message) {
      return error(message, null);
    }

    static Outcome error(String message, String stack) {
      return new Outcome(ExecutionStatus.ERROR, null, ErrorCodes.CS_RUNTIME_EXCEPTION, message, stack);
    }

    static Outcome of(Termination termination) {
      return new Outcome(termination.status(), null, termination.errorCode(), termination.message(), null);
    }
  }
}
