package io.codesous.runtime;

/** The bytes one activation's thread has allocated since the function's code could first run. */
final class AllocationMeter {

  private final Thread thread;
  /** The thread's allocation counter when function code could first run; -1 before. */
  private volatile long baseline = -1;

  /** @param thread the activation's executing thread */
  AllocationMeter(Thread thread) {
    this.thread = thread;
  }

  /** Starts counting now; call on the executing thread. */
  void start() {
    baseline = ThreadAllocation.ofCurrentThread();
  }

  /** The bytes allocated since {@link #start()}, or 0 before it; callable from any thread. */
  long allocatedBytes() {
    long start = baseline;
    if (start < 0) {
      return 0;
    }
    long now = Thread.currentThread() == thread ? ThreadAllocation.ofCurrentThread() : ThreadAllocation.of(thread);
    return Math.max(0, now - start);
  }
}
