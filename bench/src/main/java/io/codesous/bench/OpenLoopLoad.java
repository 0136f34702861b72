package io.codesous.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Drives one target at a fixed request rate for the warm-up and the measured window, whatever
 * its answers: a {@link Metronome} hands the requests to one {@link OpenLoopSender} per client
 * event loop, so answers are handled on all of them.
 */
final class OpenLoopLoad {

  /**
   * Connections the client may open, over all senders. Matches the function's concurrency limit:
   * more requests in flight would only turn a target that fell behind into 429s.
   */
  private static final int MAX_CONNECTIONS = HelloFunction.MAX_CONCURRENCY;

  private final Vertx clientVertx;
  private final int eventLoops;

  OpenLoopLoad(Vertx clientVertx, int eventLoops) {
    this.clientVertx = clientVertx;
    this.eventLoops = eventLoops;
  }

  RunResult run(String target, RequestOptions request, LoadMode.FixedRate mode, Duration warmup, Duration measured)
      throws Exception {
    HttpClientAgent client = clientVertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setPipelining(false),
        new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS));
    int maxInFlightPerSender = Math.max(1, MAX_CONNECTIONS / eventLoops);
    // The first requests come due while the senders deploy and go out together when they can:
    // early in the warm-up, where that changes nothing.
    long startNanos = System.nanoTime();
    MeasurementWindow window = new MeasurementWindow(startNanos, warmup, measured);
    // Vert.x may call the supplier off this thread.
    List<OpenLoopSender> senders = new CopyOnWriteArrayList<>();
    try {
      String deployment = clientVertx.deployVerticle(() -> {
        OpenLoopSender sender = new OpenLoopSender(client, request, window, maxInFlightPerSender);
        senders.add(sender);
        return sender;
      }, new DeploymentOptions().setInstances(eventLoops)).await(LoadRunner.GRACE_SECONDS, TimeUnit.SECONDS);
      new Metronome(window, startNanos, mode.perSecond(), senders).start();
      long runSeconds = warmup.toSeconds() + measured.toSeconds() + LoadRunner.GRACE_SECONDS;
      Future.all(senders.stream().map(OpenLoopSender::finished).toList()).await(runSeconds, TimeUnit.SECONDS);
      clientVertx.undeploy(deployment).await(LoadRunner.GRACE_SECONDS, TimeUnit.SECONDS);
    } finally {
      client.close().await(LoadRunner.GRACE_SECONDS, TimeUnit.SECONDS);
    }
    return AnswerTally.combine(target, mode, window, senders.stream().map(OpenLoopSender::tally).toList());
  }
}
