package io.codesous.egress;

import io.vertx.core.Future;
import java.net.InetAddress;
import java.util.List;

/**
 * Where one hop of a fetch may connect: the address policy, the function's allow-list and the
 * port list judged in that order, and every DNS answer checked before one of them is used.
 */
final class HopDestination {

  private final HostResolver resolver;
  private final EgressOptions options;
  private final EgressPolicy policy;
  private final AddressPolicy addressPolicy;

  HopDestination(HostResolver resolver, EgressOptions options, EgressPolicy policy) {
    this.resolver = resolver;
    this.options = options;
    this.policy = policy;
    this.addressPolicy = AddressPolicy.of(policy);
  }

  /**
   * The one address this hop may connect to. Literal addresses are judged before the allow-list,
   * so a refusal names the real reason; names are judged against the allow-list before DNS, so a
   * function cannot even make the platform look up names it was not granted (a DNS query is
   * itself a way to leak data).
   *
   * @throws EgressException when the URL itself is refused, before any lookup
   */
  Future<InetAddress> check(EgressUrl url) {
    HostName host = url.host();
    if (host.isIpLiteral()) {
      IpLiteral literal = host.ipLiteral().orElseThrow();
      AddressClass refusal = addressPolicy.refusal(literal);
      if (refusal != null) {
        throw new EgressException(EgressFailure.ADDRESS_REFUSED,
            "address " + host.uriForm() + " is refused (" + refusal.description() + ")");
      }
    }
    if (!policy.allows(host)) {
      throw new EgressException(EgressFailure.HOST_NOT_ALLOWED,
          "host " + host.uriForm() + " is not in the function's http allow-list");
    }
    if (!options.getAllowedPorts().isEmpty()
        && !options.getAllowedPorts().contains(url.port())) {
      throw new EgressException(EgressFailure.PORT_REFUSED, "port " + url.port() + " is refused");
    }
    if (host.isIpLiteral()) {
      return Future.succeededFuture(host.ipLiteral().orElseThrow().toInetAddress());
    }
    Future<List<InetAddress>> answers;
    try {
      answers = resolver.resolve(host.name());
    } catch (RuntimeException e) {
      answers = Future.failedFuture(e);
    }
    return answers.transform(resolved -> {
      if (resolved.failed() || resolved.result() == null || resolved.result().isEmpty()) {
        return Future.failedFuture(new EgressException(EgressFailure.DNS_FAILURE,
            "could not resolve " + host.uriForm()));
      }
      // all answers, not just the one used: a name answering [public, private] is a rebinding
      // attempt, and the resolver's order is not ours to trust
      for (InetAddress answer : resolved.result()) {
        AddressClass refusal = addressPolicy.refusal(IpLiteral.of(answer));
        if (refusal != null) {
          // the answer itself stays out of the message: it may be an internal address
          return Future.failedFuture(new EgressException(EgressFailure.ADDRESS_REFUSED,
              "host " + host.uriForm() + " resolves to a refused address ("
                  + refusal.description() + ")"));
        }
      }
      return Future.succeededFuture(resolved.result().get(0));
    });
  }
}
