package io.codesous.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.graalvm.polyglot.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cs-js: runs function activations in a GraalJS sandbox.
 *
 * <p>One runtime owns one shared {@link Engine}, so code parsed for one activation is reused by the next.
 * {@link #execute} is blocking and thread-safe; call it from a bounded worker pool.
 *
 * <h2>Isolation</h2>
 * <ul>
 *   <li><b>strict</b> (the default): every activation runs in a fresh context that is closed when it ends, so
 *       nothing one activation does is visible to another. Creating a context and evaluating a large module cost
 *       milliseconds to seconds, so both are taken off the request path: for every version used more than once
 *       recently or announced with {@link #prepare} (one until the version's first activation has ended, so that
 *       no other evaluation of its module competes with that one), a background thread keeps a couple of contexts
 *       ready (runtime script installed, entry module parsed and, where it cannot change what the module
 *       observes, evaluated by a {@link ModulePreparation} under the version's init and memory budgets; see
 *       {@link ContextPool}). Each still serves exactly one activation, and none is shared across versions or
 *       tenants.</li>
 *   <li><b>warm</b> ({@code isolation: "warm"} in the manifest, per version): a context is kept after a successful
 *       activation and reused by a later one of the same version on this runtime, so globals and module state
 *       persist and the entry module is evaluated once per context instead of once per activation. Never across
 *       versions or tenants, never two activations at once in one context (a version with {@code maxConcurrency} 3
 *       may have up to 3 warm contexts), and a context is discarded after any outcome other than success, after
 *       {@link RuntimeOptions#getWarmMaxUses()} activations, once its activations together have allocated more than
 *       the memory budget, and when idle. The trade-off is the function's: state (caches, connections' worth of
 *       data, a tenant's last request) leaks from one activation to the next of the same version, and a function
 *       that mutates globals must tolerate finding them mutated.</li>
 * </ul>
 *
 * <h2>What a function sees</h2>
 * <ul>
 *   <li>The standard ECMAScript globals, plus {@code console.{log,info,warn,error,debug}} and {@code cs}:
 *       {@code cs.log(level, ...args)}, {@code cs.kv.{get,set,del,list}}, {@code cs.codeq.publish},
 *       {@code cs.http.fetch}, and for the {@code cadence} trigger only {@code cs.cadence.heartbeat}, each backed by
 *       the request's {@link HostBindings} (the only way out of the sandbox). No Java interop, no {@code Polyglot},
 *       {@code Graal}, {@code load}, {@code print}, {@code require}, {@code process}, {@code WebAssembly},
 *       {@code SharedArrayBuffer}, no threads, processes, environment, network or host files.</li>
 *   <li>The Web platform APIs of {@code cs-web.js} ({@code fetch} through {@code cs.http.fetch}'s binding,
 *       {@code URL}, encoding, timers on the activation's own queue, {@code crypto} over the JDK's providers...),
 *       each built on first use; see {@code spec/function-contract.md}, section 1b.</li>
 *   <li>A default export object with a {@code fetch} method and no handler (the Workers shape, a Hono app) is called
 *       as {@code fetch(request, env, ctx)} with a {@code Request} built from the event; its {@code Response}
 *       becomes the result.</li>
 *   <li>The bundle as a read-only file system rooted at {@code /}, for ES module imports. Relative specifiers
 *       resolve against the importing module; absolute ones ({@code /lib/x.mjs}, {@code file:///lib/x.mjs})
 *       against the bundle root, so they can only name bundle files. Climbing above the root, other URI schemes
 *       and files outside the bundle fail the import.</li>
 *   <li>{@code handler(event, ctx)}: the named export {@code handler}, else a default export function, else the
 *       {@code handler} method of a default export object. {@code event} is the parsed event JSON; {@code ctx}
 *       is frozen: {@code activationId, requestId, tenant, namespace, function.{name,version}, trigger.type,
 *       traceparent, tracestate, deadlineMs, secrets, remainingMs()}, where {@code secrets} is a frozen object
 *       without prototype holding the request's {@link ExecutionRequest#secrets()} (empty when there are none),
 *       made for this activation only and never put on a global.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * <ul>
 *   <li>Time: {@link Watchdog} cancels the context at the deadline ({@code TIMEOUT}). Evaluating the entry module
 *       (top-level {@code await} included) has its own budget, {@link ExecutionRequest#initTimeoutMs()}; the handler
 *       is called only once evaluation has completed, and its {@code timeoutMs} starts then.</li>
 *   <li>Memory: {@link MemoryGuard} cancels the context ({@code MEMORY_LIMIT}) once the bytes the activation's
 *       thread allocated, less what garbage collections have since shown to be garbage, pass
 *       {@link ExecutionLimits#memoryBytes()}: an upper bound of what the function holds, enforced as collections
 *       happen (and at once when the old generation fills up). One statement cannot get far past it: strings and
 *       buffers are capped per context ({@link ContextFactory}), and the built-ins that walk an object without
 *       ever reaching a point where they can be cancelled refuse objects of more elements than the budget allows
 *       (see {@code cs-runtime.js}). A refused allocation is a {@code RangeError} the function may catch.</li>
 *   <li>Not bounded, because the engine gives no way to: object spread and rest of a huge array, typed array or
 *       string ({@code {...big}}, syntax rather than a call that could be guarded), typed-array {@code sort} and
 *       {@code toReversed}, and {@code BigInt} arithmetic on huge values run to completion once started. Each is
 *       bounded by the size of its operands, which the caps above bound in turn.</li>
 *   <li>Stack: unbounded recursion is a {@code RangeError}, an ordinary error.</li>
 *   <li>Code compiled at run time: parsing cannot be cancelled, so {@code eval} and the {@code Function}
 *       constructors refuse sources over 262,144 characters with a {@code RangeError} (see {@code cs-runtime.js});
 *       every {@code eval} is an indirect one.</li>
 * </ul>
 *
 * <h2>Results</h2>
 * <ul>
 *   <li>{@code SUCCESS}: {@code responseJson} is {@code {"statusCode","headers","body","isBase64Encoded"}}.</li>
 *   <li>{@code ERROR} / {@code CS_RUNTIME_EXCEPTION}, with these messages:
 *     <ul>
 *       <li>a throw or rejection of an {@code Error}: its string form, e.g. {@code "Error: boom"} or
 *           {@code "TypeError: x is not a function"}, and {@code errorStack} = its JavaScript {@code stack};
 *           of any other value: {@code String(value)} and no stack;</li>
 *       <li>a promise rejected and left unhandled while the activation runs, even when the handler returns a valid
 *           response: {@code "unhandled promise rejection: "} and the reason as above, e.g.
 *           {@code "unhandled promise rejection: Error: boom"};</li>
 *       <li>a module that fails to load: the engine's message, e.g. {@code "SyntaxError: index.mjs:3:7 ..."} or
 *           {@code "Error: Cannot find module './x.mjs' imported from index.mjs"};</li>
 *       <li>{@code "entry module index.mjs does not export a handler function"},
 *           {@code "entry module x.mjs is not in the bundle"};</li>
 *       <li>an invalid response: {@code "invalid response: "} and the member at fault, e.g.
 *           {@code "invalid response: statusCode must be an integer 200..599, got the number 99"},
 *           {@code "invalid response: headers[\"x-n\"] must be a string, got the number 1"},
 *           {@code "invalid response: response body exceeds 6291456 bytes"};</li>
 *       <li>{@code "the event is not valid JSON: ..."} when the caller's event does not parse;</li>
 *       <li>{@code "internal error in the function runtime"} when the runtime itself fails (details are
 *           logged, never returned).</li>
 *     </ul></li>
 *   <li>{@code TIMEOUT} / {@code CS_TIMEOUT}, {@code "function exceeded its 250 ms timeout"}: the deadline passed
 *       first, including a promise that never settles. The guest is stopped and the thread returned. While the
 *       module is evaluated: {@code "module evaluation exceeded its 30000 ms init budget (limits.initTimeoutMs)"},
 *       including a top-level {@code await} that never settles.</li>
 *   <li>{@code MEMORY_LIMIT} / {@code CS_MEMORY_LIMIT}, {@code "function exceeded its 64 MB memory budget"}.</li>
 * </ul>
 * Logs are returned in call order, capped per {@link ExecutionLimits}; past a cap one {@code warn} entry
 * {@code "[cs] log truncated: limit of N lines / M bytes reached"} ends them and {@code logsTruncated} is set.
 */
public final class JsRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JsRuntime.class);
  /** How long {@link #close()} waits for context creations and cancellations in flight. */
  private static final long CLOSE_WAIT_MS = 10_000;

  private final Engine engine;
  private final SourceCache sourceCache;
  private final Watchdog watchdog;
  private final MemoryGuard memoryGuard;
  private final Cancellations cancellations = new Cancellations();
  private final ContextFactory contextFactory;
  private final Contexts contexts;
  private final ExecutorService canceller;
  private final Activation.Shared shared;
  private final int warmUpRounds;
  private final int guestNice;
  /** {@code null} where the engine does not compile or the compiler threads keep their priority. */
  private final CompilerThreads compilerThreads;
  private volatile boolean closed;
  /** Set once a function's activation or preparation has begun; read by the warm-up before each round. */
  private volatile boolean servedFunction;

  public JsRuntime(RuntimeOptions options) {
    this(options, List.of());
  }

  /**
   * A runtime whose activations are also watched by {@code additionalGuards}, after the deadline watchdog and the
   * memory guard.
   */
  JsRuntime(RuntimeOptions options, List<ExecutionGuard> additionalGuards) {
    this(options, additionalGuards, null);
  }

  /**
   * A runtime whose idle warm contexts make room when {@code heapPressure} says so, instead of when live data filled
   * the heap at the last collection (the memory guard's reading); {@code null} for the latter.
   */
  JsRuntime(RuntimeOptions options, List<ExecutionGuard> additionalGuards, BooleanSupplier heapPressure) {
    Objects.requireNonNull(options, "options");
    this.engine = GuestCompilation.build(engineBuilder());
    this.sourceCache = new SourceCache(options.getSourceCacheSize());
    this.watchdog = new Watchdog(options.getCancelGraceMs());
    this.memoryGuard = new MemoryGuard(options.getMemorySampleIntervalMs());
    this.contextFactory = new ContextFactory(engine, new GuestApi());
    this.canceller = Executors.newCachedThreadPool(daemonThreads("cs-js-cancel-"));
    List<ExecutionGuard> guards = new ArrayList<>();
    guards.add(watchdog);
    guards.add(memoryGuard);
    guards.addAll(additionalGuards);
    this.contexts = new Contexts(contextFactory, options, List.copyOf(guards), canceller,
        heapPressure != null ? heapPressure : memoryGuard::heapFullAfterCollection);
    // Only activations can be cancelled by id; a context prepared ahead of time has no activation to name.
    guards.add(cancellations);
    this.shared = new Activation.Shared(sourceCache, contexts, List.copyOf(guards), canceller,
        options.getCancelGraceMs());
    this.warmUpRounds = options.getWarmUpRounds();
    this.guestNice = options.getGuestNice();
    this.compilerThreads = CompilerThreads.lowerBy(options.getCompilerNice(), GuestCompilation.compiles(engine));
  }

  /**
   * Nice levels below the platform's threads at which threads that run this runtime's guests should be scheduled
   * ({@link GuestThreads#lowerCurrent}); the runtime lowers its own, a caller's pool lowers its threads.
   */
  public int guestNice() {
    return guestNice;
  }

  /**
   * The builder of the engine this runtime's contexts share, before the compilation options it adds at start: what
   * the engine's realms hold and what the runtime's script finds in them. Public for tools that measure a context on
   * the same engine ({@code bench/run.sh --context-cost}).
   */
  public static Engine.Builder engineBuilder() {
    return SandboxBuilders.engine()
        // Unhandled rejections are reported to a handler set through the `Graal` built-in, which the runtime's
        // script captures and then deletes before any function code runs.
        .option("js.graal-builtin", "true")
        .option("js.unhandled-rejections", "handler")
        // The runtime installs its own console that records log entries.
        .option("js.console", "false")
        // Without threads a SharedArrayBuffer can only be used to block the one thread with Atomics.wait.
        .option("js.shared-array-buffer", "false")
        // Evaluating the entry module hands back its namespace, so no bootstrap module is needed.
        .option("js.esm-eval-returns-exports", "true")
        // The engine carries AsyncContext variables through promise jobs and awaits, which node:async_hooks builds
        // AsyncLocalStorage on (a store set in run() is there after every await, as in Node.js and Workers); the
        // runtime's timers carry them too (cs-web.js), and its script takes the proposal's global off the guest's
        // global object, which Node.js, Deno and Workers do not have.
        .option("js.async-context", "true");
  }

  /**
   * Runs one activation on the calling thread and returns how it ended. Blocks at most about
   * {@code request.initTimeoutMs() + request.timeoutMs()} plus the time to stop the guest.
   *
   * @throws NullPointerException  if {@code request} is null
   * @throws IllegalStateException if the runtime is closed
   */
  public ExecutionResult execute(ExecutionRequest request) {
    Objects.requireNonNull(request, "request");
    if (closed) {
      throw new IllegalStateException("the runtime is closed");
    }
    servingFunction();
    return new Activation(request, shared).run();
  }

  /**
   * Stops the activation of that id, tenant and namespace if it is running on this runtime: it ends {@link ExecutionStatus#CANCELLED}
   * ({@code CS_CANCELLED}) whatever its guest is doing, like a timeout, and its thread returns from
   * {@link #execute} once the guest's context is closed. Safe from any thread; returns at once.
   *
   * @return whether an activation of that id was running here and is now stopping; {@code false} when none is
   * (not started, already ended, or run elsewhere)
   */
  public boolean cancel(String tenant, String namespace, String activationId) {
    Objects.requireNonNull(activationId, "activationId");
    return cancellations.cancel(tenant, namespace, activationId);
  }

  /**
   * Prepares a version that is about to be invoked (just published, or first seen by this runtime): its entry
   * module is decoded and cached, and contexts with the module parsed and, where it allows, evaluated are made
   * ready on the runtime's background thread, so that its first activation does not pay for them. Returns at once;
   * the event, ids and secrets of {@code request} are not used. A bundle whose entry is missing is left for the
   * activation to report.
   *
   * @return completes (never exceptionally) once the version's first context is ready, or once none will be
   * @throws IllegalStateException if the runtime is closed
   */
  public CompletionStage<Void> prepare(ExecutionRequest request) {
    Objects.requireNonNull(request, "request");
    if (closed) {
      throw new IllegalStateException("the runtime is closed");
    }
    servingFunction();
    EntryModule module;
    try {
      module = EntryModule.of(request, sourceCache);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(null);
    }
    return contexts.prepare(request, ContextShape.of(request, module), module.source());
  }

  /**
   * Parses a bundle's entry module into the shared engine on the calling thread, evaluating nothing, so that the
   * version published from it later finds the module's code parsed: its first context ({@link #prepare}) skips the
   * parse, the largest cost of a large bundle's first invoke after its evaluation (a fifth of the preparation's CPU
   * for the 1.2 MB bundle of {@code bench/}, before the regular expressions and the top level). The source is kept by
   * the bundle's content hash among the last few drafts of the runtime's source cache ({@link SourceCache#DRAFTS}),
   * until an activation or a preparation of the bundle takes it among its own, and parsed in a context of the
   * options the version's contexts will have (the memory budget and log cap of {@code limits} decide them), since only
   * contexts with equal options share parsed code.
   *
   * <p>For a process that accepts uploads and runs functions as well: the draft is parsed where it will run. A
   * module that does not parse is left for its check and its activations to report.
   *
   * @param bundleId the bundle's content hash, the id its versions' activations carry
   * @return whether the entry module was parsed; {@code false} when it is not a file of the bundle or does not parse
   * @throws IllegalStateException if the runtime is closed
   */
  public boolean parseAhead(String bundleId, Map<String, byte[]> files, String entry, ExecutionLimits limits) {
    if (closed) {
      throw new IllegalStateException("the runtime is closed");
    }
    servingFunction();
    EntryModule module;
    try {
      module = EntryModule.ofDraft(bundleId, files, entry, sourceCache);
    } catch (IllegalArgumentException notAFile) {
      return false;
    }
    GuestContext context = contextFactory.create(ContextShape.of(bundleId, module, limits), files, null);
    try {
      return contextFactory.parse(context.context(), module.source());
    } finally {
      context.close();
    }
  }

  /**
   * Runs the smallest function once on the calling thread, so that the engine's first execution (about a second
   * interpreted, more on a cold JVM) is paid before any function's activation rather than against its timeout. A
   * caller runs it before taking work; unlike a function's activation it does not stop {@link #warmUp()}.
   *
   * @return how it ended; anything but success means the runtime cannot run functions
   */
  public ExecutionResult initialize() {
    if (closed) {
      throw new IllegalStateException("the runtime is closed");
    }
    return new Activation(EngineWarmUp.first(), shared).run();
  }

  /**
   * Runs the runtime's warm-up function ({@link EngineWarmUp}) {@link RuntimeOptions#getWarmUpRounds()} times, one
   * round after another on a thread of its own, and returns at once. Each round is an ordinary strict activation of
   * a bundle of the runtime's own (no host bindings, default limits, a tenant no function can have): a fresh
   * context, a 325 kB esbuild bundle of npm code parsed anew and evaluated, regular expressions compiled and the
   * Web platform APIs used. It stops early once a function's activation or preparation begins on this runtime,
   * cancelling the round it is in: that work warms the JVM as well, and should have the cores to itself.
   *
   * <p>Why: the JVM compiles the engine's parser, interpreter and regular-expression compiler only once they have
   * run for a while, so the first module a fresh server evaluates pays for running them interpreted. A fresh JDK 17
   * server answered the first invoke of the 1.27 MB bundle of bench/ (date-fns with its locales: six thousand
   * regular expressions compiled at its top level) 2.9-3.7 s after the publish without a warm-up, 2.0-2.5 s after
   * four rounds (spec/function-contract.md, section 9).
   *
   * @return completes (never exceptionally) with what was done once the rounds ended or stopped
   */
  public CompletionStage<WarmUpOutcome> warmUp() {
    CompletableFuture<WarmUpOutcome> done = new CompletableFuture<>();
    int rounds = warmUpRounds;
    Thread thread = new Thread(() -> {
      GuestThreads.lowerCurrent(guestNice);
      WarmUpOutcome outcome;
      try {
        outcome = new EngineWarmUp().run(rounds, request -> new Activation(request, shared).run(), this::warmUpStop);
      } catch (RuntimeException e) {
        // the runtime closing under a round, or a fault of the runtime's own: nothing a function did
        outcome = new WarmUpOutcome(0, rounds, 0, closed ? "the runtime closed" : e.toString());
        if (!closed) {
          LOG.warn("the sandbox warm-up failed", e);
        }
      }
      done.complete(outcome);
    }, "cs-js-warm-up");
    thread.setDaemon(true);
    thread.start();
    return done;
  }

  /**
   * A read, and a write only the first time: activations do not contend on the field. The first time, a warm-up
   * round still running is cancelled, so the function has the cores the round would have used.
   */
  private void servingFunction() {
    if (!servedFunction) {
      servedFunction = true;
      for (int round = 0; round < warmUpRounds; round++) {
        cancellations.cancel(EngineWarmUp.TENANT, EngineWarmUp.NAMESPACE, EngineWarmUp.activationId(round));
      }
    }
  }

  private String warmUpStop() {
    if (closed) {
      return "the runtime closed";
    }
    return servedFunction ? "a function's activation or preparation began" : null;
  }

  /** Hits and misses of the entry-module source cache since the runtime was created. */
  public SourceCacheStats sourceCacheStats() {
    return sourceCache.stats();
  }

  /** Whether the shared engine holds parsed code of the entry module kept for (bundle id, normalized path). */
  boolean engineHoldsEntry(String bundleId, String path) {
    EntryModule module = sourceCache.peek(bundleId, path);
    return module != null && engine.getCachedSources().contains(module.source());
  }

  /** Contexts created ahead of demand and waiting for an activation, across all bundles. */
  int readyContexts() {
    return contexts.pool().readyCount();
  }

  /** Warm contexts waiting for the next activation of their version. */
  int idleWarmContexts() {
    return contexts.warm().idleCount();
  }

  /**
   * Stops the guards and the background thread and closes the engine, cancelling activations still running. Waits
   * (briefly) for contexts being created and for cancellations in flight first: closing the engine under either
   * can leave both waiting for each other for good.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // The pools first: a context being prepared in the background registers with the guards, and a guard that is
    // already closed refuses it, which the pool would report as a failed preparation unless it knows it is closing.
    contexts.close();
    watchdog.close();
    memoryGuard.close();
    canceller.shutdown();
    try {
      if (!contextFactory.closeAndAwaitCreations(CLOSE_WAIT_MS)) {
        LOG.warn("closing the runtime while contexts are still being created");
      }
      canceller.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    canceller.shutdownNow();
    if (compilerThreads != null) {
      compilerThreads.close();
    }
    engine.close(true);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
