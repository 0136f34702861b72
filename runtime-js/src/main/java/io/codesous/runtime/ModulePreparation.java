package io.codesous.runtime;

import io.codesous.runtime.ExecutionGuard.GuardedExecution;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * Evaluates a version's entry module in a fresh context before any activation takes it, so that a strict
 * activation finds the module loaded and only calls its handler. The context still serves exactly one activation
 * and is then closed: what the activation observes is what it would have observed had it evaluated the module
 * itself, the same work done earlier on another thread.
 *
 * <p>The evaluation is function code, so it runs under the same guards as an activation: the version's init budget
 * ({@link ExecutionRequest#initTimeoutMs()}) and its memory budget, counted from here. Its log entries are kept in
 * the context and handed to the activation that takes it, first in its log.
 *
 * <p>It succeeds only when evaluation completes by the time the engine returns, with no unhandled rejection. A
 * module that throws, awaits something at top level that only a host call or a later task can settle, or reads
 * {@code cs} at top level (defined only when an activation begins) fails here, and is then evaluated inside each
 * activation as before, which reports its outcome; the pool stops preparing it.
 */
final class ModulePreparation implements GuardedExecution, GuestBridge.Host {

  /** Why a preparation failed, for the operator's log; never shown to a function or its caller. */
  static final class Failed extends Exception {
    Failed(String reason) {
      super(reason, null, false, false);
    }
  }


  /** Marks a normal end in {@link #ending}; compared by identity. */
  private static final Termination FINISHED = new Termination(ExecutionStatus.SUCCESS, "", "prepared");

  private final GuestContext guest;
  private final Executor canceller;
  private final Source entry;
  private final InvocationInfo info;
  private final ExecutionLimits limits;
  private final long initTimeoutMs;
  private final Thread thread = Thread.currentThread();
  private final long startNanos = System.nanoTime();
  private final long deadlineNanos;
  private final LogCollector logs;
  private final AtomicReference<Termination> ending = new AtomicReference<>();
  private volatile long allocationBaseline = -1;
  private volatile boolean done;
  /** The first unhandled rejection; set on the preparing thread. */
  private String unhandled;

  ModulePreparation(GuestContext guest, Source entry, InvocationInfo info, ExecutionLimits limits,
                    long initTimeoutMs, Executor canceller) {
    this.guest = guest;
    this.canceller = canceller;
    this.entry = entry;
    this.info = info;
    this.limits = limits;
    this.initTimeoutMs = initTimeoutMs;
    this.deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(initTimeoutMs);
    this.logs = new LogCollector(limits);
  }

  /**
   * Evaluates the module on the calling thread under {@code guards}; on success the context holds the handler and
   * the evaluation's log. On failure the caller closes the context.
   */
  void run(List<ExecutionGuard> guards) throws Failed {
    List<ExecutionGuard.Watch> watches = new ArrayList<>(guards.size());
    String failure = null;
    try {
      for (ExecutionGuard guard : guards) {
        watches.add(guard.watch(this));
      }
      failure = evaluate();
    } catch (PolyglotException | IllegalStateException e) {
      failure = "module evaluation failed: " + e.getMessage();
    } finally {
      boolean terminated = !ending.compareAndSet(null, FINISHED);
      watches.forEach(ExecutionGuard.Watch::close);
      guest.bridge().unbind();
      done = true;
      if (terminated) {
        // A guard stopped it: whatever the evaluation left behind is not a prepared module.
        guest.handler(null);
        failure = ending.get().message();
      }
    }
    if (failure != null) {
      throw new Failed(failure);
    }
  }

  /** @return why the module cannot be prepared, or {@code null} once the context holds its handler */
  private String evaluate() {
    guest.bridge().bind(this);
    GuestApi.Bound api = guest.api();
    allocationBaseline = ThreadAllocation.ofCurrentThread();
    api.beginPreparation();
    Value namespace = guest.context().eval(entry);
    // No task runs here, so a module still evaluating is one that awaits what only an activation can settle.
    if (!EntryModule.isEvaluated(namespace, () -> false)) {
      return "the module awaits at top level what only an activation can settle";
    }
    if (unhandled != null) {
      return "unhandled promise rejection while evaluating the module: " + unhandled;
    }
    Value handler = api.findHandler(namespace);
    if (handler == null) {
      return "the module exports no handler";
    }
    api.endActivation();
    guest.handler(handler);
    guest.prepared(logs.entries(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    return null;
  }

  @Override
  public boolean terminate(Termination termination) {
    if (!ending.compareAndSet(null, termination)) {
      return false;
    }
    // Closing with cancellation waits for the guest to leave the context: not on the guard's thread.
    try {
      canceller.execute(guest::close);
    } catch (RejectedExecutionException e) {
      // The runtime is closing; closing its engine cancels this context.
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
    return "no activation is running";
  }

  /**
   * Timers a module sets while it is prepared never run: no activation is there to run them, and the activation
   * that takes the context drops them when it begins. A module whose evaluation waits on one never finishes here and
   * is evaluated by each activation instead, where its timers run.
   */
  @Override
  public void armTimer(double dueMs) {
  }

  @Override
  public void unhandledRejection(String message, String stack) {
    if (unhandled == null) {
      unhandled = message;
    }
  }

  @Override
  public Thread thread() {
    return thread;
  }

  @Override
  public InvocationInfo info() {
    return info;
  }

  @Override
  public ExecutionLimits limits() {
    return limits;
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
    return initTimeoutMs;
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
    return Termination.initTimeout(initTimeoutMs);
  }

  @Override
  public boolean isDone() {
    return done;
  }
}
