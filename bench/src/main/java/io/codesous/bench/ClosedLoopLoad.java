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
 * Drives one target with C closed-loop users over C keep-alive connections and collects what
 * they measured. Runs on its own Vertx instance so the load does not compete with the servers
 * for event loops (it still competes for cores).
 */
final class ClosedLoopLoad {

  private final Vertx clientVertx;

  ClosedLoopLoad(Vertx clientVertx) {
    this.clientVertx = clientVertx;
  }

  RunResult run(String target, RequestOptions request, LoadMode.ClosedLoop mode, Duration warmup,
                Duration measured) throws Exception {
    HttpClientAgent client = clientVertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setPipelining(false),
        new PoolOptions().setHttp1MaxSize(mode.users()));
    MeasurementWindow window = new MeasurementWindow(System.nanoTime(), warmup, measured);
    // Vert.x may call the supplier off this thread.
    List<VirtualUser> users = new CopyOnWriteArrayList<>();
    try {
      String deployment = clientVertx.deployVerticle(() -> {
        VirtualUser user = new VirtualUser(client, request, window);
        users.add(user);
        return user;
      }, new DeploymentOptions().setInstances(mode.users())).await(LoadRunner.GRACE_SECONDS, TimeUnit.SECONDS);
      long runSeconds = warmup.toSeconds() + measured.toSeconds() + LoadRunner.GRACE_SECONDS;
      Future.all(users.stream().map(VirtualUser::finished).toList()).await(runSeconds, TimeUnit.SECONDS);
      clientVertx.undeploy(deployment).await(LoadRunner.GRACE_SECONDS, TimeUnit.SECONDS);
    } finally {
      client.close().await(LoadRunner.GRACE_SECONDS, TimeUnit.SECONDS);
    }
    return AnswerTally.combine(target, mode, window, users.stream().map(VirtualUser::tally).toList());
  }
}
