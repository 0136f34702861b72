package io.codesous.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * Sends the open-loop requests a {@link Metronome} hands it, on its own event loop. Each latency
 * runs from the request's scheduled start, not from when it was actually sent: a target (or a
 * client) that falls behind makes the requests queued behind it slower, as their users would see,
 * instead of quietly taking fewer samples (coordinated omission).
 *
 * <p>At most {@code maxInFlight} requests are outstanding; requests due beyond that wait here, in
 * order, and that wait is part of their latency. One that waited longer than {@link #MAX_WAIT_NANOS}
 * is counted as failed without being sent, so a target that cannot keep up ends the run in bounded
 * time.
 */
final class OpenLoopSender extends VerticleBase {

  /** As long as a request may take to answer, so either wait ends a request at the same age. */
  static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(LoadRunner.REQUEST_TIMEOUT_MS);

  private final HttpClient client;
  private final RequestOptions request;
  private final int maxInFlight;
  private final AnswerTally tally;
  private final Promise<Void> finished = Promise.promise();
  /** Scheduled start times of the due requests not sent yet, oldest first. */
  private final Deque<Long> waiting = new ArrayDeque<>();
  private int inFlight;
  private boolean scheduleOver;

  OpenLoopSender(HttpClient client, RequestOptions request, MeasurementWindow window, int maxInFlight) {
    this.client = client;
    this.request = request;
    this.maxInFlight = maxInFlight;
    this.tally = new AnswerTally(window);
  }

  /** Hands over a request due now; callable from any thread. */
  void due(long scheduledNanos) {
    context.runOnContext(v -> {
      waiting.addLast(scheduledNanos);
      sendWaiting();
    });
  }

  /** Says that no request is due any more; callable from any thread. */
  void scheduleOver() {
    context.runOnContext(v -> {
      scheduleOver = true;
      finishIfDone();
    });
  }

  /** Completes when the schedule is over and every request got its answer (or failed). */
  Future<Void> finished() {
    return finished.future();
  }

  /** Read only after {@link #finished()} completed. */
  AnswerTally tally() {
    return tally;
  }

  private void sendWaiting() {
    while (inFlight < maxInFlight && !waiting.isEmpty()) {
      long scheduledNanos = waiting.removeFirst();
      if (System.nanoTime() - scheduledNanos > MAX_WAIT_NANOS) {
        tally.failed(scheduledNanos, "not sent within " + LoadRunner.REQUEST_TIMEOUT_MS
            + " ms of its scheduled start: every connection was busy (the target fell behind the rate)");
        continue;
      }
      send(scheduledNanos);
    }
    finishIfDone();
  }

  private void send(long scheduledNanos) {
    inFlight++;
    HttpExchange.send(client, request).onComplete(answer -> {
      inFlight--;
      if (answer.failed()) {
        tally.failed(scheduledNanos, answer.cause().toString());
      } else {
        tally.answered(scheduledNanos, System.nanoTime(), answer.result().status(), answer.result().body());
      }
      sendWaiting();
    });
  }

  private void finishIfDone() {
    if (scheduleOver && inFlight == 0 && waiting.isEmpty()) {
      finished.tryComplete();
    }
  }
}
