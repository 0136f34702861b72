package io.codesous.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the memory budget ({@link ExecutionLimits#memoryBytes()}): every few milliseconds it reads how many bytes
 * each running activation's thread has allocated since the function started, and terminates with
 * {@code MEMORY_LIMIT} the activations past their budget, which cancels the guest like a timeout does.
 *
 * <h2>What is counted, and why</h2>
 * GraalJS Community has no per-context heap accounting, and the JVM cannot tell which live objects belong to which
 * context. It does count the bytes each thread allocates, exactly and cheaply, and a context is single-threaded
 * with no way to start threads: everything the function creates is allocated by the activation's thread, so that
 * count is an upper bound of what the function can hold.
 *
 * <p>Counted on its own it is far too high: the interpreter allocates as it runs (boxed numbers, frames, strings),
 * about 40 bytes per iteration of a simple loop, so a function that computes for a second with almost nothing live
 * would have allocated more than a 128 MB budget. The guard therefore charges an activation
 * <ul>
 *   <li>{@code retained}: for each garbage collection since it started, the lesser of what it allocated since the
 *       previous one and how much that collection kept beyond the previous one ({@link GcEvidence}): whatever else it
 *       allocated has been shown to be garbage;</li>
 *   <li>plus {@code pending}: what it allocated since the last collection, not yet classified.</li>
 * </ul>
 * It terminates an activation when {@code retained} passes the budget (the collector found that much kept), or when
 * {@code retained + pending} does while the old generation is filling up (kept or not, the heap cannot wait for the
 * next collection). Between collections a function may therefore allocate more than its budget, as long as
 * collections keep showing it to be garbage. The bound errs towards charging too much: a collection's growth is
 * charged to every activation that allocated that much, including growth caused by others. Single allocations are
 * capped separately ({@link ContextFactory}), so one statement cannot outrun the sampling.
 *
 * <p>Without per-thread allocation counts (not HotSpot) the budget is not enforced and a warning is logged once.
 */
final class MemoryGuard implements ExecutionGuard, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MemoryGuard.class);
  private static final Watch NOT_WATCHED = () -> {
  };

  /** The charge of one activation; updated by the sampler thread only. */
  private static final class Charge {
    long retained;
    long allocatedAtLastCollection;
    GcEvidence.Reading seen;

    Charge(GcEvidence.Reading seen) {
      this.seen = seen;
    }
  }

  /**
   * Empty samples in a row after which the sampler sleeps until an activation is watched: half a second at the
   * default interval. Not at the first empty one, since under load the sandbox threads are between activations at
   * many samples, and waking the sampler for every activation would cost more than sampling.
   */
  private static final int IDLE_AFTER_EMPTY_SAMPLES = 250;

  private final Map<GuardedExecution, Charge> watched = new ConcurrentHashMap<>();
  private final long sampleIntervalMs;
  private final GcEvidence gc;
  private final Thread sampler;
  /** Guards {@link #idle} and {@link #closed}; the idle sampler waits on it. */
  private final Object lock = new Object();
  private boolean idle;
  private boolean closed;

  /** Whether live data filled the heap past the pressure threshold at the last collection ({@link GcEvidence}). */
  boolean heapFullAfterCollection() {
    return gc != null && gc.fullAfterCollection();
  }

  MemoryGuard(long sampleIntervalMs) {
    this.sampleIntervalMs = sampleIntervalMs;
    this.gc = ThreadAllocation.supported() ? new GcEvidence() : null;
    this.sampler = new Thread(this::run, "cs-js-memory");
    sampler.setDaemon(true);
    if (gc != null) {
      sampler.start();
    }
  }

  @Override
  public Watch watch(GuardedExecution execution) {
    if (gc == null) {
      return NOT_WATCHED;
    }
    Charge charge = new Charge(gc.read());
    synchronized (lock) {
      watched.put(execution, charge);
      if (idle) {
        lock.notify();
      }
    }
    return () -> watched.remove(execution);
  }

  /**
   * Samples every interval while activations run; a server with nothing to run does not wake the sampler (at 2 ms
   * that was 500 wake-ups a second, about 1 % of a core on an idle server, the largest share of its idle CPU).
   */
  private void run() {
    int emptySamples = 0;
    try {
      while (true) {
        synchronized (lock) {
          if (emptySamples >= IDLE_AFTER_EMPTY_SAMPLES) {
            idle = true;
            while (watched.isEmpty() && !closed) {
              lock.wait();
            }
            idle = false;
            emptySamples = 0;
          }
          if (closed) {
            return;
          }
        }
        if (watched.isEmpty()) {
          emptySamples++;
        } else {
          emptySamples = 0;
          sample();
        }
        Thread.sleep(sampleIntervalMs);
      }
    } catch (InterruptedException closing) {
      // close() interrupts a sampler asleep between samples
    }
  }

  private void sample() {
    try {
      GcEvidence.Reading now = gc.read();
      Boolean pressure = null;
      for (Map.Entry<GuardedExecution, Charge> entry : watched.entrySet()) {
        GuardedExecution execution = entry.getKey();
        Charge charge = entry.getValue();
        long allocated = execution.allocatedBytes();
        if (now.collections() != charge.seen.collections()) {
          long survived = now.survivedTotal() - charge.seen.survivedTotal();
          charge.retained += Math.min(allocated - charge.allocatedAtLastCollection, survived);
          charge.allocatedAtLastCollection = allocated;
          charge.seen = now;
        }
        long budget = execution.limits().memoryBytes();
        long pending = allocated - charge.allocatedAtLastCollection;
        boolean over = charge.retained > budget;
        if (!over && charge.retained + pending > budget) {
          if (pressure == null) {
            pressure = gc.underPressure();
          }
          over = pressure;
        }
        if (over) {
          watched.remove(execution);
          execution.terminate(Termination.memoryLimit(budget));
        }
      }
    } catch (RuntimeException e) {
      // A failed sample must not cancel the periodic task, which would end enforcement for good.
      LOG.warn("memory sampling failed", e);
    }
  }

  /** Whether the sampler sleeps until an activation is watched. */
  boolean isIdle() {
    synchronized (lock) {
      return idle;
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notify();
    }
    sampler.interrupt();
    if (gc != null) {
      gc.close();
    }
  }
}
