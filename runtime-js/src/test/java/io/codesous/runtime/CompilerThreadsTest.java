package io.codesous.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's compiler threads are found by name among the process's threads and put behind the others. Linux only:
 * elsewhere nice values are not per thread, and nothing is done. Whether a runtime does it to the threads Truffle
 * really starts is {@link GuestCompilationTest}'s, on the JIT launcher's JDK.
 */
class CompilerThreadsTest {

  private final CountDownLatch release = new CountDownLatch(1);
  private final List<Thread> started = new ArrayList<>();

  @AfterEach
  void releaseThreads() throws InterruptedException {
    release.countDown();
    for (Thread thread : started) {
      thread.join();
    }
  }

  @Test
  void aThreadNamedAsTrufflesCompilerThreadsAreIsLoweredAndNoOtherThread() throws Exception {
    assumeTrue(GuestThreads.available() && Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
    int compiler = startParked("TruffleCompilerThread-4711");
    int other = startParked("cs-sandbox-compiling");
    int otherBefore = niceOf(other);
    int process = niceOf((int) ProcessHandle.current().pid());
    CompilerThreads threads = CompilerThreads.scanning(5);

    assertEquals(1, threads.scan());
    assertEquals(Math.min(GuestThreads.MAX_NICE, process + 5), threads.nice());
    assertEquals(threads.nice(), niceOf(compiler));
    assertEquals(otherBefore, niceOf(other));
    // a second scan finds the same thread lowered and leaves it
    assertEquals(1, threads.scan());
    assertEquals(threads.nice(), niceOf(compiler));
  }

  @Test
  void nothingIsWatchedWhereTheEngineDoesNotCompileOrNoLevelIsAsked() {
    assertNull(CompilerThreads.lowerBy(10, false));
    assertNull(CompilerThreads.lowerBy(0, true));
  }

  /** Starts a thread of that name that waits for the test's end, and answers its Linux thread id. */
  private int startParked(String name) throws Exception {
    CompletableFuture<Integer> tid = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      tid.complete(currentTid());
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
    started.add(thread);
    thread.start();
    return tid.get();
  }

  /** The calling thread's id as Linux knows it: /proc/thread-self links to {@code <pid>/task/<tid>}. */
  private static int currentTid() {
    try {
      return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A thread's nice value as the kernel reports it: field 19 of its stat line, counted after the name's ')'. */
  static int niceOf(int tid) throws IOException {
    String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(fields[19 - 3]);
  }
}
