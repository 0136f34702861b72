package io.codesous.egress;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.util.Map;

/** The HTTP client request of one hop, pinned to the address that was checked for it. */
final class HopRequest {

  private HopRequest() {}

  /**
   * The request for {@code hop}, dialing {@code target} (never a fresh lookup), without
   * following redirects itself: every redirect is a new hop that is checked again.
   */
  static RequestOptions options(Hop hop, InetSocketAddress target, long connectTimeoutMs) {
    EgressUrl url = hop.url();
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.valueOf(hop.method()))
        // connect to the checked address, never to a fresh lookup of the name; the name still
        // goes into the Host header, SNI and certificate verification
        .setServer(SocketAddress.inetSocketAddress(target))
        .setHost(url.host().name())
        .setPort(url.port())
        .setSsl(url.isHttps())
        .setURI(url.requestTarget())
        .setFollowRedirects(false)
        .setConnectTimeout(connectTimeoutMs);
    if (url.host().ipLiteral().map(IpLiteral::isIpv6).orElse(false)) {
      // the client would write an IPv6 authority without brackets (::1:8080), which is not a
      // valid Host header; SNI is never sent for address literals, so only the header needs it
      request.putHeader("host", url.host().uriForm()
          + (url.hasDefaultPort() ? "" : ":" + url.port()));
    }
    for (Map.Entry<String, String> header : hop.headers()) {
      request.addHeader(header.getKey(), header.getValue());
    }
    return request;
  }
}
