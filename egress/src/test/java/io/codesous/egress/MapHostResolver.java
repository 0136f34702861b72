package io.codesous.egress;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A DNS-free resolver: fixed answers per name, and a record of every name asked for. */
final class MapHostResolver implements HostResolver {

  private final Map<String, List<InetAddress>> answers = new HashMap<>();
  private final List<String> lookups = Collections.synchronizedList(new ArrayList<>());
  private final List<String> hanging = new ArrayList<>();

  MapHostResolver answer(String host, String... addresses) {
    List<InetAddress> resolved = new ArrayList<>();
    for (String address : addresses) {
      IpLiteral literal = address.contains(":")
          ? IpLiteral.parseIpv6(address).orElseThrow()
          : IpLiteral.parseIpv4(address).orElseThrow();
      resolved.add(literal.toInetAddress());
    }
    answers.put(host, List.copyOf(resolved));
    return this;
  }

  /** A name whose lookup never completes. */
  MapHostResolver hang(String host) {
    hanging.add(host);
    return this;
  }

  List<String> lookups() {
    synchronized (lookups) {
      return List.copyOf(lookups);
    }
  }

  @Override
  public Future<List<InetAddress>> resolve(String host) {
    lookups.add(host);
    if (hanging.contains(host)) {
      return Promise.<List<InetAddress>>promise().future();
    }
    List<InetAddress> resolved = answers.get(host);
    return resolved == null
        ? Future.failedFuture(new UnknownHostException(host))
        : Future.succeededFuture(resolved);
  }
}
