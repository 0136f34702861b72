package io.codesous.runtime;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contexts created ahead of demand, so that a strict activation does not pay for creating its fresh context nor,
 * when its module allows, for evaluating it.
 *
 * <p>Per hot version ({@link PrewarmedVersion.Key}: bundle, tenant, namespace, function, version and
 * {@link ContextShape}) a few contexts are kept ready: created, the runtime script installed, the entry module
 * parsed into the shared engine and, with {@link RuntimeOptions#isPrepareModules()}, evaluated by a
 * {@link ModulePreparation} under the version's init and memory budgets, its log kept for the activation. A module
 * that cannot be prepared (it throws, reads {@code cs} at top level, or awaits what only an activation can settle)
 * is evaluated by each activation instead, as is every module when preparation is off. Each context serves exactly
 * one activation and is then closed, so preparing changes when the work is done, never what an activation can
 * observe; contexts are never shared across versions or tenants, even of identical bundles.
 *
 * <p>Memory stays bounded: a version is prepared once it has been used twice (one-off versions get nothing) or
 * {@link #prepare announced} (one context until it is invoked, so a version published and never called costs one
 * evaluation), at most {@code perBundle} contexts per version, at most {@code maxBundles} versions
 * (the least recently used loses its contexts first), and a version unused for {@code idleMs} loses them. Refills
 * run on the runtime's background thread, one context at a time; a take that finds none ready creates one on the
 * caller's thread, except while the version's first context is still being prepared: then it waits for a prepared
 * one (at most the version's init budget), because evaluating the module a second time beside the preparation
 * would slow both down on a busy machine and make the first invoke after publishing pay for a whole evaluation.
 */
final class ContextPool implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ContextPool.class);

  private final ContextFactory factory;
  private final int perBundle;
  private final int maxBundles;
  private final long idleNanos;
  private final ScheduledExecutorService background;
  /** Access-ordered, so the first entry is the least recently used. Guarded by {@code this}. */
  private final LinkedHashMap<PrewarmedVersion.Key, PrewarmedVersion> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final boolean prepareModules;
  private final List<ExecutionGuard> guards;
  private final Executor canceller;
  private boolean closed;

  ContextPool(ContextFactory factory, RuntimeOptions options, ScheduledExecutorService background,
              List<ExecutionGuard> guards, Executor canceller) {
    this.factory = factory;
    this.prepareModules = options.isPrepareModules();
    this.guards = guards;
    this.canceller = canceller;
    this.perBundle = options.getPrewarmContexts();
    this.maxBundles = options.getPrewarmBundles();
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(options.getPrewarmIdleMs());
    this.background = background;
    if (perBundle > 0) {
      long sweepMs = Math.max(1, options.getPrewarmIdleMs() / 2);
      background.scheduleWithFixedDelay(this::sweep, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    }
  }

  /** A context for one activation: a ready one when there is, else a new one created on the calling thread. */
  GuestContext take(ExecutionRequest request, ContextShape shape, Source entry) {
    return use(request, shape, entry, null);
  }

  /**
   * Announces a version about to be invoked (published, or first seen by this runtime): its contexts are prepared
   * now rather than after its second activation. Returns at once.
   *
   * @return completed once the version's first context is ready, or once none will be
   */
  CompletableFuture<Void> prepare(ExecutionRequest request, ContextShape shape, Source entry) {
    CompletableFuture<CompletableFuture<Void>> announced = new CompletableFuture<>();
    use(request, shape, entry, announced);
    return announced.getNow(CompletableFuture.completedFuture(null));
  }

  /** @param announced when not {@code null}, an announcement: completed with the entry's first-ready signal */
  private GuestContext use(ExecutionRequest request, ContextShape shape, Source entry,
                           CompletableFuture<CompletableFuture<Void>> announced) {
    boolean announce = announced != null;
    if (perBundle == 0) {
      return announce ? null : factory.create(shape, request.files(), null);
    }
    GuestContext ready = null;
    PrewarmedVersion refill = null;
    PrewarmedVersion preparing = null;
    PrewarmedVersion held = null;
    List<GuestContext> evicted = new ArrayList<>();
    PrewarmedVersion.Key key = PrewarmedVersion.Key.of(request, shape);
    synchronized (this) {
      if (closed) {
        return announce ? null : factory.create(shape, request.files(), null);
      }
      PrewarmedVersion found = entries.get(key);
      if (found == null) {
        found = new PrewarmedVersion(shape, request, entry, prepareModules);
        entries.put(key, found);
        evictBeyond(maxBundles, evicted);
      }
      found.lastUsedNanos = System.nanoTime();
      if (announce) {
        announced.complete(found.announce());
      } else {
        held = found;
        ready = found.take();
        if (ready == null && found.firstBeingPrepared()) {
          preparing = found;
        }
      }
      if (found.wantsRefill(perBundle)) {
        found.refilling = true;
        refill = found;
      }
    }
    evicted.forEach(GuestContext::close);
    if (refill != null) {
      startRefill(refill);
    }
    if (announce) {
      return null;
    }
    try {
      if (ready == null && preparing != null) {
        long waitStart = System.nanoTime();
        ready = awaitPrepared(preparing, request.initTimeoutMs());
        if (ready != null) {
          ready.awaitedPreparation(System.nanoTime() - waitStart);
        }
      }
      GuestContext taken = ready != null ? ready : factory.create(shape, request.files(), null);
      taken.heldFrom(held);
      return taken;
    } catch (RuntimeException e) {
      released(held);
      throw e;
    }
  }

  /**
   * An activation holding a context taken from {@code entry} ({@link GuestContext#takeHeldFrom()}; {@code null}
   * for none) has ended: counts it, and refills its version if the refill waited for that.
   */
  void released(PrewarmedVersion entry) {
    if (entry == null) {
      return;
    }
    synchronized (this) {
      entry.released();
      if (closed || !entry.wantsRefill(perBundle)) {
        return;
      }
      entry.refilling = true;
    }
    startRefill(entry);
  }

  private void startRefill(PrewarmedVersion entry) {
    try {
      background.execute(() -> refill(entry));
    } catch (RejectedExecutionException e) {
      // The runtime is closing: nothing is refilled any more.
    }
  }

  /**
   * Waits, at most {@code timeoutMs}, for a context of {@code entry} that its refill prepares; {@code null} once the
   * refill stops or cannot prepare the module, the pool closes, or the time is up.
   */
  private synchronized GuestContext awaitPrepared(PrewarmedVersion entry, long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (entry.ready.isEmpty() && entry.refilling && entry.preparable && !entry.removed && !closed) {
      long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (remainingMs <= 0) {
        return null;
      }
      try {
        wait(remainingMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return entry.ready.poll();
  }

  private void evictBeyond(int max, List<GuestContext> evicted) {
    Iterator<PrewarmedVersion> eldest = entries.values().iterator();
    while (entries.size() > max && eldest.hasNext()) {
      PrewarmedVersion entry = eldest.next();
      eldest.remove();
      entry.remove(evicted);
    }
    notifyAll();
  }

  private void refill(PrewarmedVersion entry) {
    try {
      while (true) {
        synchronized (this) {
          if (closed || entry.removed || entry.ready.size() >= entry.depth(perBundle)) {
            entry.refilling = false;
            entry.firstReady.complete(null);
            notifyAll();
            return;
          }
        }
        GuestContext created = factory.create(entry.shape, entry.request.files(), entry.entry);
        created.markCreatedAhead();
        boolean preparable;
        synchronized (this) {
          preparable = entry.preparable;
        }
        if (preparable && !prepare(entry, created)) {
          created.close();
          continue;
        }
        boolean kept;
        synchronized (this) {
          kept = !closed && !entry.removed;
          if (kept) {
            entry.ready.add(created);
          }
          entry.firstReady.complete(null);
          notifyAll();
        }
        if (!kept) {
          created.close();
        }
      }
    } catch (RuntimeException e) {
      boolean closing;
      synchronized (this) {
        entry.refilling = false;
        closing = closed;
        notifyAll();
      }
      entry.firstReady.complete(null);
      if (!closing) {
        LOG.warn("prewarming a context for bundle " + entry.shape.bundleId() + " failed", e);
      }
    }
  }

  /**
   * Evaluates the module in {@code created}; on failure stops preparing the version (its activations evaluate the
   * module themselves and report what happens) and tells the operator why.
   *
   * @return whether the context holds the evaluated module
   */
  private boolean prepare(PrewarmedVersion entry, GuestContext created) {
    try {
      entry.evaluateIn(created, guards, canceller);
      return true;
    } catch (ModulePreparation.Failed e) {
      synchronized (this) {
        entry.preparable = false;
        notifyAll();
        if (closed) {
          // The runtime closing cancelled it: nothing to tell.
          return false;
        }
      }
      LOG.info("{} is evaluated by each activation: {}", entry, e.getMessage());
      return false;
    }
  }

  /** Closes the ready contexts of bundles unused for the idle time. */
  private void sweep() {
    List<GuestContext> idle = new ArrayList<>();
    synchronized (this) {
      long now = System.nanoTime();
      entries.values().removeIf(entry -> now - entry.lastUsedNanos > idleNanos && entry.remove(idle));
      notifyAll();
    }
    idle.forEach(GuestContext::close);
  }

  /** Ready contexts across all bundles. */
  synchronized int readyCount() {
    return entries.values().stream().mapToInt(entry -> entry.ready.size()).sum();
  }

  @Override
  public void close() {
    List<GuestContext> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      evictBeyond(0, all);
    }
    all.forEach(GuestContext::close);
  }
}
