package io.codesous.runtime;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Source;

/**
 * Contexts created ahead of demand, so that a strict activation does not pay for creating its fresh context.
 *
 * <p>Per hot bundle ({@link ContextShape}) a few contexts are kept ready: created, the runtime script installed and
 * the entry module parsed into the shared engine, but no function code run. Module evaluation is deliberately left
 * to the activation: top-level code is function code, and running it ahead would run it outside any activation,
 * with nobody to charge its time, memory and logs to and no activation to serve its {@code cs.*} calls. Each
 * context serves exactly one activation and is then closed, so prewarming changes when the work is done, never
 * what an activation can observe.
 *
 * <p>Memory stays bounded: a bundle is prewarmed only once it has been used twice (one-off bundles get nothing),
 * at most {@code perBundle} contexts per bundle, at most {@code maxBundles} bundles (the least recently used loses
 * its contexts first), and a bundle unused for {@code idleMs} loses them. Refills run on the runtime's background
 * thread, one context at a time; a take that finds none ready creates one on the caller's thread.
 */
final class ContextPool implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ContextPool.class.getName());

  private final ContextFactory factory;
  private final int perBundle;
  private final int maxBundles;
  private final long idleNanos;
  private final ScheduledExecutorService background;
  /** Access-ordered, so the first entry is the least recently used. Guarded by {@code this}. */
  private final LinkedHashMap<ContextShape, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private boolean closed;

  private static final class Entry {
    final ContextShape shape;
    final Map<String, byte[]> files;
    final Source entry;
    final ArrayDeque<GuestContext> ready = new ArrayDeque<>();
    long lastUsedNanos;
    int takes;
    boolean refilling;
    boolean removed;

    Entry(ContextShape shape, Map<String, byte[]> files, Source entry) {
      this.shape = shape;
      this.files = files;
      this.entry = entry;
    }
  }

  ContextPool(ContextFactory factory, RuntimeOptions options, ScheduledExecutorService background) {
    this.factory = factory;
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
  GuestContext take(ContextShape shape, Map<String, byte[]> files, Source entry) {
    if (perBundle == 0) {
      return factory.create(shape, files, null);
    }
    GuestContext ready;
    Entry refill = null;
    List<GuestContext> evicted = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return factory.create(shape, files, null);
      }
      Entry found = entries.get(shape);
      if (found == null) {
        found = new Entry(shape, files, entry);
        entries.put(shape, found);
        evictBeyond(maxBundles, evicted);
      }
      found.lastUsedNanos = System.nanoTime();
      found.takes++;
      ready = found.ready.poll();
      if (found.takes >= 2 && !found.refilling) {
        found.refilling = true;
        refill = found;
      }
    }
    evicted.forEach(GuestContext::close);
    if (refill != null) {
      Entry target = refill;
      background.execute(() -> refill(target));
    }
    return ready != null ? ready : factory.create(shape, files, null);
  }

  private void evictBeyond(int max, List<GuestContext> evicted) {
    Iterator<Entry> eldest = entries.values().iterator();
    while (entries.size() > max && eldest.hasNext()) {
      Entry entry = eldest.next();
      eldest.remove();
      entry.removed = true;
      evicted.addAll(entry.ready);
      entry.ready.clear();
    }
  }

  private void refill(Entry entry) {
    try {
      while (true) {
        synchronized (this) {
          if (closed || entry.removed || entry.ready.size() >= perBundle) {
            entry.refilling = false;
            return;
          }
        }
        GuestContext created = factory.create(entry.shape, entry.files, entry.entry);
        boolean kept;
        synchronized (this) {
          kept = !closed && !entry.removed;
          if (kept) {
            entry.ready.add(created);
          }
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
      }
      if (!closing) {
        LOG.log(Level.WARNING, "prewarming a context for bundle " + entry.shape.bundleId() + " failed", e);
      }
    }
  }

  /** Closes the ready contexts of bundles unused for the idle time. */
  private void sweep() {
    List<GuestContext> idle = new ArrayList<>();
    synchronized (this) {
      long now = System.nanoTime();
      Iterator<Entry> all = entries.values().iterator();
      while (all.hasNext()) {
        Entry entry = all.next();
        if (now - entry.lastUsedNanos > idleNanos) {
          all.remove();
          entry.removed = true;
          idle.addAll(entry.ready);
          entry.ready.clear();
        }
      }
    }
    idle.forEach(GuestContext::close);
  }

  /** Ready contexts across all bundles. */
  synchronized int readyCount() {
    int count = 0;
    for (Entry entry : entries.values()) {
      count += entry.ready.size();
    }
    return count;
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
