package io.codesous.runtime;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the threads that run guest code behind the platform's own threads in the operating system's scheduler. When
 * functions keep every core busy, the event loops that accept requests, renew a scheduler's lease, fire schedules'
 * ticks and answer health checks must still run at once: at ten thousand schedules a second on the embedded server
 * of a two-core machine, whose sandbox pool could run only a fraction of those runs, ticks fired 604-902 ms late at
 * p99 with every thread equal, and 310 ms late in a run whose sandbox threads were put ten nice levels down from
 * outside (the scheduler's benchmark, {@code bench/run.sh --schedules 10000 --shapes embedded}). The watchdog and the
 * threads that cancel a guest keep their priority, so a deadline ends a guest as promptly as before. It costs the
 * request path CPU under saturation, so it is off unless configured ({@link RuntimeOptions#DEFAULT_GUEST_NICE}).
 *
 * <p>On Linux a nice value belongs to a thread, and {@code setpriority(PRIO_PROCESS, 0, n)} sets the calling one's;
 * raising it needs no privilege. Elsewhere, or where the C library cannot be reached, this does nothing and says so
 * once.
 */
public final class GuestThreads {

  private static final Logger LOG = LoggerFactory.getLogger(GuestThreads.class);
  /** The highest nice value, the lowest priority, Linux has. */
  static final int MAX_NICE = 19;
  private static final int PRIO_PROCESS = 0;
  /** The {@code who} of {@code getpriority}/{@code setpriority} that names the calling thread. */
  static final int CALLING_THREAD = 0;
  private static final ThreadLocal<Boolean> LOWERED = ThreadLocal.withInitial(() -> false);

  private GuestThreads() {
  }

  /**
   * The C library's calls, linked when first needed: a process that leaves its guests' priority alone never loads
   * JNA's native part (which it unpacks into the temporary directory).
   */
  private static final class LibC {

    static final boolean AVAILABLE = link();

    private static boolean link() {
      if (!Platform.isLinux()) {
        return false;
      }
      try {
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
        return true;
      } catch (LinkageError | RuntimeException unavailable) {
        LOG.info("guest threads keep the platform's priority: the C library's setpriority is out of reach ({})",
            unavailable.toString());
        return false;
      }
    }

    static native int getpriority(int which, int who);

    static native int setpriority(int which, int who, int prio);
  }

  /** Whether nice values can be read and set here (Linux, the C library reached). */
  static boolean available() {
    return LibC.AVAILABLE;
  }

  /**
   * The nice value of the thread {@code tid} (a process id is its main thread's, {@link #CALLING_THREAD} the
   * caller's); only where {@link #available}.
   */
  static int niceOf(int tid) {
    // getpriority answers the nice value itself (-20..19) through the raw system call glibc wraps
    return LibC.getpriority(PRIO_PROCESS, tid);
  }

  /**
   * Puts thread {@code tid} of this process at nice value {@code nice} if it runs at a lower one (a higher priority);
   * never the other way, which would take a privilege. Only where {@link #available}.
   *
   * @return whether the thread now runs at {@code nice} or a higher value
   */
  static boolean atLeast(int tid, int nice) {
    int target = Math.min(MAX_NICE, nice);
    if (niceOf(tid) >= target) {
      return true;
    }
    if (LibC.setpriority(PRIO_PROCESS, tid, target) == 0) {
      return true;
    }
    LOG.debug("setpriority({}) refused for thread {}: errno {}", target,
        tid == CALLING_THREAD ? Thread.currentThread().getName() : tid, Native.getLastError());
    return false;
  }

  /**
   * Lowers the calling thread's priority by {@code increment} nice levels (at most to {@link #MAX_NICE}) the first
   * time it is called on that thread; later calls cost a thread-local read.
   */
  public static void lowerCurrent(int increment) {
    if (increment <= 0 || !LibC.AVAILABLE || LOWERED.get()) {
      return;
    }
    LOWERED.set(atLeast(CALLING_THREAD, niceOf(CALLING_THREAD) + increment));
  }
}
