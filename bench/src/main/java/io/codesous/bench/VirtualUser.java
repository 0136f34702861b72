package io.codesous.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;

/**
 * One closed-loop user: sends the next request as soon as the previous one answered, until the
 * window ends. Deployed as a verticle so users spread over the client's event loops; all of its
 * callbacks run on its own context, which is why its tally needs no synchronization.
 */
final class VirtualUser extends VerticleBase {

  /** Pause after a failed request, so a dead server is reported rather than spun against. */
  private static final long RETRY_PAUSE_MS = 10;

  private final HttpClient client;
  private final RequestOptions request;
  private final MeasurementWindow window;
  private final AnswerTally tally;
  private final Promise<Void> finished = Promise.promise();

  VirtualUser(HttpClient client, RequestOptions request, MeasurementWindow window) {
    this.client = client;
    this.request = request;
    this.window = window;
    this.tally = new AnswerTally(window);
  }

  @Override
  public Future<?> start() {
    sendNext();
    return Future.succeededFuture();
  }

  /** Completes when this user has sent its last request and got its answer. */
  Future<Void> finished() {
    return finished.future();
  }

  /** Read only after {@link #finished()} completed. */
  AnswerTally tally() {
    return tally;
  }

  private void sendNext() {
    long sentNanos = System.nanoTime();
    if (window.isOver(sentNanos)) {
      finished.tryComplete();
      return;
    }
    HttpExchange.send(client, request).onComplete(answer -> {
      if (answer.failed()) {
        tally.failed(sentNanos, answer.cause().toString());
        vertx.setTimer(RETRY_PAUSE_MS, id -> sendNext());
        return;
      }
      tally.answered(sentNanos, System.nanoTime(), answer.result().status(), answer.result().body());
      sendNext();
    });
  }
}
