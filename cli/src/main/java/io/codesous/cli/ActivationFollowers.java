package io.codesous.cli;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The followers of a live tail, one thread each, so the lines of activations that run at the same time are printed
 * as they are written rather than one activation after the other. The tail's own thread starts them and learns here
 * how they ended.
 */
final class ActivationFollowers implements AutoCloseable {

  /** Follows one activation until it ends; answers the command's exit code. */
  interface Follow {
    int follow(String activationId) throws CliException;
  }

  private final Follow follow;
  private final java.io.PrintWriter err;
  private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "cs-logs-follow");
    // an interrupted tail ends the command; a follower blocked on its stream must not keep the process alive
    thread.setDaemon(true);
    return thread;
  });
  private final BlockingQueue<Integer> exits = new LinkedBlockingQueue<>();
  private int started;
  private int ended;

  ActivationFollowers(Follow follow, java.io.PrintWriter err) {
    this.follow = follow;
    this.err = err;
  }

  void start(String activationId) {
    started++;
    threads.execute(() -> {
      int exit;
      try {
        exit = follow.follow(activationId);
      } catch (CliException failed) {
        synchronized (err) {
          err.println("cs: " + failed.getMessage());
        }
        exit = failed.exitCode();
      }
      exits.add(exit);
    });
  }

  /**
   * Prints an activation that already ended, whole, on the caller's thread: ended activations found by one listing
   * then print oldest first, as they ran, rather than in the order their reads come back.
   *
   * @return the follow's exit code
   */
  int printEnded(String activationId) throws CliException {
    started++;
    int exit = follow.follow(activationId);
    ended++;
    return exit;
  }

  int started() {
    return started;
  }

  int ended() {
    return ended;
  }

  /**
   * Waits up to {@code waitMs} for followers to end and counts those that did.
   *
   * @return the exit code of a follower that failed, else 0
   */
  int awaitEnds(long waitMs) throws InterruptedException {
    Integer exit = exits.poll(waitMs, TimeUnit.MILLISECONDS);
    while (exit != null) {
      ended++;
      if (exit != 0) {
        return exit;
      }
      exit = exits.poll();
    }
    return 0;
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
