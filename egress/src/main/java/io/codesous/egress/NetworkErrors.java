package io.codesous.egress;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Turns what the network stack throws into an {@link EgressException}. Lower-level messages carry
 * the address actually dialed, local interface details and library internals; none of that goes
 * to the function, which gets a message naming only the host and port of its own URL.
 */
final class NetworkErrors {

  private NetworkErrors() {
  }

  static EgressException describe(Throwable error, EgressUrl url) {
    if (error instanceof EgressException) {
      return (EgressException) error;
    }
    String target = url.host().uriForm() + ":" + url.port();
    if (has(error, SSLException.class)) {
      return new EgressException(EgressFailure.TLS_FAILURE, "TLS with " + target + " failed");
    }
    if (has(error, io.netty.channel.ConnectTimeoutException.class)
        || has(error, TimeoutException.class)) {
      return new EgressException(EgressFailure.CONNECT_TIMEOUT,
          "connecting to " + target + " timed out");
    }
    if (has(error, ConnectException.class) || has(error, NoRouteToHostException.class)) {
      return new EgressException(EgressFailure.CONNECTION_FAILED,
          "could not connect to " + target);
    }
    if (has(error, UnknownHostException.class)) {
      return new EgressException(EgressFailure.DNS_FAILURE,
          "could not resolve " + url.host().uriForm());
    }
    return new EgressException(EgressFailure.CONNECTION_LOST,
        "the connection to " + target + " failed before the response was complete");
  }

  private static boolean has(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
