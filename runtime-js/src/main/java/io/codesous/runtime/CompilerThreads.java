package io.codesous.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the engine's compiler threads behind every other thread of the process in the operating system's scheduler,
 * where the engine compiles guest code (the JIT launcher): compiling makes functions faster later, while a module
 * being evaluated for its first invoke, the activations and the event loops are wanted now.
 *
 * <p>Evidence: on two cores, the first invoke of bench/'s 1.27 MB bundle of npm packages 13 s after a JIT launcher
 * server started took 1,195-1,624 ms after its publish (JDK 17: 735-976 ms). A CPU profile of that window
 * (async-profiler) gave HotSpot's compilers 1.6 s, Truffle's compiler thread 0.7 s and the thread evaluating the
 * module 0.56 s: the compiler thread was still at the warm-up's compilations, and HotSpot compiled the Graal
 * compiler's own code for it. With that thread ten nice levels down (set from outside) the first invoke took
 * 822-1,017 ms, nineteen 786-964 ms, five 973-1,189 ms ({@code bench/first-invoke.sh}, three runs each). When a core
 * is idle the compiler still gets all of it.
 *
 * <p>Truffle names those threads {@code TruffleCompilerThread-<id>}, of which Linux keeps the first 15 bytes; they are
 * started as compilations are queued, so they are looked for once a second. The engine keeps them for its lifetime
 * ({@code engine.CompilerIdleDelay=0}, {@link GuestCompilation}): one Truffle starts again after an idle spell would
 * take the priority of the thread that queued the compilation, the thread evaluating a newly published module.
 * Nice values are per thread on Linux, and lowering a thread's priority needs no privilege (raising it again would);
 * elsewhere this does nothing.
 */
final class CompilerThreads implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CompilerThreads.class);
  /** What Linux keeps of the name of Truffle's compiler threads, {@code TruffleCompilerThread-<id>}. */
  static final String NAME = "TruffleCompiler";
  static final long SCAN_INTERVAL_MS = 1_000;
  private static final Path TASKS = Path.of("/proc/self/task");

  private final int nice;
  /**
   * Compiler threads already lowered, pruned to the living ones at each scan. Every other thread is looked at again
   * at each scan: a new thread carries its creator's name until it has named itself.
   */
  private final Set<Integer> lowered = new HashSet<>();
  private final ScheduledExecutorService scanner;

  private CompilerThreads(int nice, boolean scanPeriodically) {
    this.nice = nice;
    if (scanPeriodically) {
      this.scanner = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "cs-js-compiler-nice");
        thread.setDaemon(true);
        return thread;
      });
      scanner.scheduleWithFixedDelay(this::scan, 0, SCAN_INTERVAL_MS, TimeUnit.MILLISECONDS);
    } else {
      this.scanner = null;
    }
  }

  /**
   * Keeps the compiler threads {@code increment} nice levels below the process's main thread from now on, if the
   * engine compiles at all and nice values can be set here.
   *
   * @return what to close with the runtime, or {@code null} when there is nothing to do
   */
  static CompilerThreads lowerBy(int increment, boolean engineCompiles) {
    if (increment <= 0 || !engineCompiles || !GuestThreads.available() || !Files.isDirectory(TASKS)) {
      return null;
    }
    return new CompilerThreads(target(increment), true);
  }

  /** For tests: one scan on demand of the threads named {@value #NAME}. */
  static CompilerThreads scanning(int increment) {
    return new CompilerThreads(target(increment), false);
  }

  private static int target(int increment) {
    int base = GuestThreads.niceOf((int) ProcessHandle.current().pid());
    return Math.min(GuestThreads.MAX_NICE, base + increment);
  }

  /** The nice value the compiler threads are kept at. */
  int nice() {
    return nice;
  }

  /**
   * Lowers the compiler threads that are not yet.
   *
   * @return how many living compiler threads are lowered
   */
  synchronized int scan() {
    Set<Integer> living = new HashSet<>();
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(TASKS)) {
      for (Path thread : threads) {
        int tid = Integer.parseInt(thread.getFileName().toString());
        living.add(tid);
        if (!lowered.contains(tid) && isCompiler(thread) && GuestThreads.atLeast(tid, nice)) {
          lowered.add(tid);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not look at the process's threads", e);
    }
    lowered.retainAll(living);
    return lowered.size();
  }

  private static boolean isCompiler(Path thread) {
    try {
      return new String(Files.readAllBytes(thread.resolve("comm")), StandardCharsets.UTF_8).startsWith(NAME);
    } catch (IOException gone) {
      return false;
    }
  }

  @Override
  public void close() {
    if (scanner != null) {
      scanner.shutdownNow();
    }
  }
}
