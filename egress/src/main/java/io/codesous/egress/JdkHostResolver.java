package io.codesous.egress;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Resolves with the JDK's resolver (system configuration, hosts file, JDK cache) on a worker
 * thread, since {@link InetAddress#getAllByName} blocks.
 */
public final class JdkHostResolver implements HostResolver {

  /** A lookup slower than this is as good as failed; the fetch deadline bounds it as well. */
  public static final long DEFAULT_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final long timeoutMs;

  public JdkHostResolver(Vertx vertx) {
    this(vertx, DEFAULT_TIMEOUT_MS);
  }

  public JdkHostResolver(Vertx vertx, long timeoutMs) {
    if (timeoutMs < 1) {
      throw new IllegalArgumentException("timeoutMs must be positive");
    }
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<List<InetAddress>> resolve(String host) {
    if (host.indexOf(':') >= 0 || IpLiteral.endsInNumber(host)) {
      // the JDK would parse these as literals; literals never reach a resolver by design
      return Future.failedFuture(new UnknownHostException(host));
    }
    // unordered: lookups of different fetches must not queue behind one slow name server
    return vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false)
        .timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
