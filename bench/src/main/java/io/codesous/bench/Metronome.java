package io.codesous.bench;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The open loop's clock: a thread of its own that hands request number n to a sender at
 * {@code start + n / rate}, round robin over the senders, until the window ends. Not a Vert.x
 * timer: those tick in whole milliseconds, which would add up to a millisecond of pacing error to
 * every latency, where parking a thread is late by some tens of microseconds.
 */
final class Metronome implements Runnable {

  private final MeasurementWindow window;
  private final long startNanos;
  private final int rate;
  private final List<OpenLoopSender> senders;

  Metronome(MeasurementWindow window, long startNanos, int rate, List<OpenLoopSender> senders) {
    this.window = window;
    this.startNanos = startNanos;
    this.rate = rate;
    this.senders = List.copyOf(senders);
  }

  Thread start() {
    Thread thread = new Thread(this, "bench-metronome");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  @Override
  public void run() {
    for (long n = 0; ; n++) {
      // from n, so rounding never accumulates into drift
      long scheduledNanos = startNanos + n * 1_000_000_000L / rate;
      if (window.isOver(scheduledNanos)) {
        break;
      }
      // after a stall (GC, descheduling) the requests that came due meanwhile go out at once
      for (long wait = scheduledNanos - System.nanoTime(); wait > 0; wait = scheduledNanos - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      senders.get((int) (n % senders.size())).due(scheduledNanos);
    }
    senders.forEach(OpenLoopSender::scheduleOver);
  }
}
