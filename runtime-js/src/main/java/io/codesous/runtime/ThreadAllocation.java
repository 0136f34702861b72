package io.codesous.runtime;

import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes allocated on the Java heap by a thread since it started, as HotSpot counts them for
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}: exact for objects allocated by that thread,
 * cheap to read (no safepoint), and never decreasing, because garbage collection does not give anything back.
 */
final class ThreadAllocation {

  private static final Logger LOG = LoggerFactory.getLogger(ThreadAllocation.class);
  private static final com.sun.management.ThreadMXBean THREADS = enable();

  private ThreadAllocation() {
  }

  private static com.sun.management.ThreadMXBean enable() {
    try {
      if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
          && threads.isThreadAllocatedMemorySupported()) {
        if (!threads.isThreadAllocatedMemoryEnabled()) {
          threads.setThreadAllocatedMemoryEnabled(true);
        }
        return threads;
      }
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("cannot read per-thread allocation; memory budgets are not enforced", e);
      return null;
    }
    LOG.warn("this JVM does not count per-thread allocation; memory budgets are not enforced");
    return null;
  }

  /** Whether the JVM counts allocation per thread; without it memory budgets are not enforced. */
  static boolean supported() {
    return THREADS != null;
  }

  /** Bytes allocated so far by the calling thread; 0 when unsupported. */
  static long ofCurrentThread() {
    return THREADS == null ? 0 : THREADS.getCurrentThreadAllocatedBytes();
  }

  /** Bytes allocated so far by {@code thread}; -1 when unsupported or the thread has ended. */
  static long of(Thread thread) {
    return THREADS == null ? -1 : THREADS.getThreadAllocatedBytes(thread.getId());
  }
}
