package io.codesous.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

  private final Map<GuardedExecution, Charge> watched = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sampler;
  private final GcEvidence gc;

  MemoryGuard(long sampleIntervalMs) {
    this.gc = ThreadAllocation.supported() ? new GcEvidence() : null;
    this.sampler = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "cs-js-memory");
      thread.setDaemon(true);
      return thread;
    });
    if (gc != null) {
      sampler.scheduleAtFixedRate(this::sample, sampleIntervalMs, sampleIntervalMs, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public Watch watch(GuardedExecution execution) {
    if (gc == null) {
      return NOT_WATCHED;
    }
    watched.put(execution, new Charge(gc.read()));
    return () -> watched.remove(execution);
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

  @Override
  public void close() {
    sampler.shutdownNow();
    if (gc != null) {
      gc.close();
    }
  }
}
