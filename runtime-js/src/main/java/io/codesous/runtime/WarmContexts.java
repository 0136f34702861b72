package io.codesous.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Idle contexts of versions whose manifest asks for {@code isolation: "warm"}, kept for the next activation of the
 * same version (see {@link JsRuntime}, "Isolation").
 *
 * <p>A context is taken by exactly one activation at a time, so a version runs in as many warm contexts as it has
 * activations at once. It is never shared across versions or tenants: the key holds the bundle, tenant, namespace,
 * function and version (and the trigger type, which decides whether {@code cs.cadence} exists). It is given back
 * only after a successful activation, and retired after {@code maxUses} activations, once its activations together
 * have allocated more than the memory budget (which bounds what it can retain), or after {@code idleMs} unused.
 *
 * <p>At most {@code maxIdle} contexts are kept. When a context comes back to a full pool, the one idle longest goes,
 * whichever version it serves: a server with more warm functions than places keeps those called most recently, so a
 * function that is called often stays warm however many others were called once before it. And while live data
 * fills the heap past the memory guard's threshold ({@code heapPressure}), each context that comes back sends the
 * two idle longest away, so the pool shrinks by one each time: idle contexts make room before the memory guard has to
 * end activations for want of it.
 */
final class WarmContexts implements AutoCloseable {

  record Key(String bundleId, String tenant, String namespace, String function, long version, String triggerType,
             ContextShape shape) {

    static Key of(ExecutionRequest request, ContextShape shape) {
      InvocationInfo info = request.info();
      return new Key(request.bundleId(), info.tenant(), info.namespace(), info.function(), info.version(),
          info.triggerType(), shape);
    }
  }

  private final int maxUses;
  private final int maxIdle;
  private final long idleNanos;
  private final BooleanSupplier heapPressure;
  /** Guarded by {@code this}; the most recently used context is last. */
  private final Map<Key, ArrayDeque<GuestContext>> idle = new HashMap<>();
  /**
   * The same contexts across all versions, the one idle longest first (each is put when it becomes idle, so this is
   * also the order of their {@code idleSince}); guarded by {@code this}.
   */
  private final LinkedHashMap<GuestContext, Key> byIdleTime = new LinkedHashMap<>();
  private boolean closed;

  WarmContexts(RuntimeOptions options, ScheduledExecutorService background, BooleanSupplier heapPressure) {
    this.heapPressure = heapPressure;
    this.maxUses = options.getWarmMaxUses();
    this.maxIdle = options.getWarmMaxIdle();
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(options.getWarmIdleMs());
    long sweepMs = Math.max(1, options.getWarmIdleMs() / 2);
    background.scheduleWithFixedDelay(this::sweep, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
  }

  /** An idle context of this version, now owned by the caller; {@code null} when there is none. */
  synchronized GuestContext take(Key key) {
    ArrayDeque<GuestContext> contexts = idle.get(key);
    if (contexts == null) {
      return null;
    }
    GuestContext context = contexts.pollLast();
    if (contexts.isEmpty()) {
      idle.remove(key);
    }
    if (context != null) {
      byIdleTime.remove(context);
    }
    return context;
  }

  /** Keeps a context that just served a successful activation, or closes it when it is due for retirement. */
  void give(Key key, GuestContext context) {
    boolean kept = false;
    List<GuestContext> evicted = new ArrayList<>(2);
    if (maxIdle > 0 && context.uses() < maxUses && context.allocatedBytes() < key.shape().memoryBytes()) {
      boolean pressed = heapPressure.getAsBoolean();
      synchronized (this) {
        if (!closed) {
          int making = pressed ? 2 : byIdleTime.size() >= maxIdle ? 1 : 0;
          while (making-- > 0 && !byIdleTime.isEmpty()) {
            evicted.add(removeIdleLongest());
          }
          context.idleSince(System.nanoTime());
          idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(context);
          byIdleTime.put(context, key);
          kept = true;
        }
      }
    }
    evicted.forEach(GuestContext::close);
    if (!kept) {
      context.close();
    }
  }

  /** Takes the context idle longest out of the pool; the caller closes it outside the lock. */
  private GuestContext removeIdleLongest() {
    Iterator<Map.Entry<GuestContext, Key>> oldest = byIdleTime.entrySet().iterator();
    Map.Entry<GuestContext, Key> entry = oldest.next();
    oldest.remove();
    ArrayDeque<GuestContext> contexts = idle.get(entry.getValue());
    contexts.remove(entry.getKey());
    if (contexts.isEmpty()) {
      idle.remove(entry.getValue());
    }
    return entry.getKey();
  }

  synchronized int idleCount() {
    return byIdleTime.size();
  }

  private void sweep() {
    List<GuestContext> expired = new ArrayList<>();
    synchronized (this) {
      long now = System.nanoTime();
      // idle longest first: stop at the first one still fresh
      while (!byIdleTime.isEmpty()
          && now - byIdleTime.keySet().iterator().next().idleSinceNanos() > idleNanos) {
        expired.add(removeIdleLongest());
      }
    }
    expired.forEach(GuestContext::close);
  }

  @Override
  public void close() {
    List<GuestContext> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      all.addAll(byIdleTime.keySet());
      idle.clear();
      byIdleTime.clear();
    }
    all.forEach(GuestContext::close);
  }
}
