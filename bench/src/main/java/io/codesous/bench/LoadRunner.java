package io.codesous.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.time.Duration;
import java.util.Locale;

/** Runs one load mode against one target: warm-up, then the measured window. */
final class LoadRunner {

  /** Slack on top of a run's length (and for deploying its senders) before it is declared hung. */
  static final long GRACE_SECONDS = 60;
  /** A request that gets no answer this long counts as failed instead of stalling the run. */
  static final long REQUEST_TIMEOUT_MS = 30_000;

  private final ClosedLoopLoad closedLoop;
  private final OpenLoopLoad openLoop;
  private final String host;
  private final Duration warmup;
  private final Duration measured;

  LoadRunner(Vertx clientVertx, int clientEventLoops, String host, Duration warmup, Duration measured) {
    this.closedLoop = new ClosedLoopLoad(clientVertx);
    this.openLoop = new OpenLoopLoad(clientVertx, clientEventLoops);
    this.host = host;
    this.warmup = warmup;
    this.measured = measured;
  }

  /**
   * @param authorization the {@code Authorization} header value every request carries (see
   *                      {@link BearerToken}); null for a target that wants none, such as the baseline
   */
  RunResult run(String target, int port, String uri, CharSequence authorization, LoadMode mode) throws Exception {
    System.err.printf(Locale.ROOT, "running %s %s: %ds warm-up, %ds measured%n", target, mode.label(),
        warmup.toSeconds(), measured.toSeconds());
    // No RequestOptions connect timeout: in Vert.x 5.0.10 its timer can outlive a request that got
    // a connection, and firing later it logs "Promise already completed" on the client's loops.
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
        .setURI(uri).setIdleTimeout(REQUEST_TIMEOUT_MS);
    // Set once here: every request of the run shares these options, header value included.
    if (authorization != null) {
      request.putHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    if (mode instanceof LoadMode.ClosedLoop closed) {
      return closedLoop.run(target, request, closed, warmup, measured);
    }
    return openLoop.run(target, request, (LoadMode.FixedRate) mode, warmup, measured);
  }
}
